/**
 * The socket operations the layers above need, behind small interfaces ({@link
 * dev.salvo.transport.Transport}, {@link dev.salvo.transport.SocketOps}, {@link
 * dev.salvo.transport.Poller}), implemented by the Linux FFM transport and the java.nio fallback.
 */
package dev.salvo.transport;
