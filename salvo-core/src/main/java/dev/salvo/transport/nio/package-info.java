/**
 * The portable fallback: the same channel behaviour over {@link java.nio.channels.DatagramChannel}
 * and a {@link java.nio.channels.Selector}, one datagram per call. Used when not on Linux, when
 * native access is not enabled, or when chosen explicitly. Features it cannot offer (GSO, GRO, ECN,
 * packet info, unix-domain datagrams) are refused with {@link UnsupportedOperationException}.
 */
package dev.salvo.transport.nio;
