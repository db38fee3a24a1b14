/**
 * The transport SPI only: what the layers above need from a datagram socket
 * ({@link dev.salvo.transport.SocketOps}), from readiness notification
 * ({@link dev.salvo.transport.Poller}) and from per-loop resources
 * ({@link dev.salvo.transport.Transport}).
 *
 * <p>Depends on the API's value types and on the SPIs that the write engine and the read path
 * define for the transports to implement; knows nothing of its implementations
 * ({@code .linux}, {@code .nio}), which only {@code dev.salvo.channel} names.
 */
package dev.salvo.transport;
