/**
 * The receive side, shared by the transports: the read SPI a transport fills ({@link
 * dev.salvo.read.ReceivedBatch}, one receive call's messages) and drains into ({@link
 * dev.salvo.read.ReadSink}); GRO splitting and delivery through one reused view that reads a
 * message's metadata only when asked ({@link dev.salvo.read.DatagramReader}, {@link
 * dev.salvo.read.DatagramView}); the sender cache that keeps it allocation-free; and typed read
 * errors ({@link dev.salvo.read.ReadError}).
 *
 * <p>Depends only on the {@code dev.salvo} API types and {@code java.*}: the transports depend on
 * this package, never the reverse, and it knows nothing of errno numbers, FFM or event loops.
 */
package dev.salvo.read;
