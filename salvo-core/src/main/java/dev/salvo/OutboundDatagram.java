package dev.salvo;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A datagram to send, with its per-datagram metadata.
 *
 * <p>The payload is the buffer's bytes from its position to its limit at the time of the write
 * call; the buffer's position is not moved, and its bytes must stay unchanged until the write
 * completes. Heap buffers are copied into native memory when the batch is built; direct buffers
 * are handed to the kernel without a copy.
 *
 * @param payload the bytes to send; an empty buffer sends an empty datagram, which is legal
 * @param destination where to send it, or {@code null} on a connected channel
 * @param ecn the ECN codepoint to mark the datagram with, or {@code null} to leave the socket's
 *     TOS / traffic class as it is
 * @param segmentSize with GSO, the size of each datagram the payload is cut into (the last may be
 *     shorter); 0 to send the payload as one datagram
 * @param source the local address to send from (packet info), or {@code null} to let the kernel choose
 * @param interfaceIndex the interface to send through (packet info's {@code ipi_ifindex} /
 *     {@code ipi6_ifindex}, {@link java.net.NetworkInterface#getIndex()}), or 0 to let the route
 *     choose; the epoll transport only (java.nio refuses it with {@link UnsupportedOperationException})
 */
public record OutboundDatagram(ByteBuffer payload, SocketAddress destination, Ecn ecn, int segmentSize,
                               InetAddress source, int interfaceIndex) {
    /**
     * Validates what can be validated without knowing the channel; the rest (destination family,
     * segment size against the payload and the kernel's limits) is checked when the datagram is
     * written, and fails that write alone.
     *
     * @throws NullPointerException when {@code payload} is null
     * @throws IllegalArgumentException for a negative segment size or interface index
     */
    public OutboundDatagram {
        Objects.requireNonNull(payload, "payload");
        if (segmentSize < 0) {
            throw new IllegalArgumentException("segmentSize must be >= 0, got " + segmentSize);
        }
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interfaceIndex must be >= 0, got " + interfaceIndex);
        }
    }

    /**
     * Makes a datagram to a destination, with no metadata.
     *
     * @param payload the bytes to send
     * @param destination where to send them, or {@code null} on a connected channel
     * @return a datagram with no metadata
     * @throws NullPointerException when {@code payload} is null
     */
    public static OutboundDatagram of(ByteBuffer payload, SocketAddress destination) {
        return new OutboundDatagram(payload, destination, null, 0, null);
    }

    /**
     * Makes a datagram for the connected peer, with no metadata.
     *
     * @param payload the bytes to send to the connected peer
     * @return a datagram with no destination, for a connected channel
     * @throws NullPointerException when {@code payload} is null
     */
    public static OutboundDatagram of(ByteBuffer payload) {
        return new OutboundDatagram(payload, null, null, 0, null);
    }

    /**
     * Returns a copy marked with an ECN codepoint.
     *
     * @param ecn the codepoint to send with, or {@code null} for none
     * @return a copy carrying it
     */
    public OutboundDatagram withEcn(Ecn ecn) {
        return new OutboundDatagram(payload, destination, ecn, segmentSize, source, interfaceIndex);
    }

    /**
     * Returns a copy to be cut by GSO into datagrams of {@code segmentSize} bytes.
     *
     * @param segmentSize the GSO segment size, 0 for none
     * @return a copy carrying it
     * @throws IllegalArgumentException when {@code segmentSize} is negative
     */
    public OutboundDatagram withSegmentSize(int segmentSize) {
        return new OutboundDatagram(payload, destination, ecn, segmentSize, source, interfaceIndex);
    }

    /**
     * Returns a copy sent from a chosen local address.
     *
     * @param source the local address to send from, or {@code null} to let the kernel choose
     * @return a copy carrying it
     */
    public OutboundDatagram withSource(InetAddress source) {
        return new OutboundDatagram(payload, destination, ecn, segmentSize, source, interfaceIndex);
    }

    /**
     * Makes a datagram with the metadata of earlier versions: no chosen interface.
     *
     * @param payload the bytes to send
     * @param destination where to send them, or {@code null} on a connected channel
     * @param ecn the ECN codepoint, or {@code null}
     * @param segmentSize the GSO segment size, 0 for none
     * @param source the local address to send from, or {@code null}
     */
    public OutboundDatagram(ByteBuffer payload, SocketAddress destination, Ecn ecn, int segmentSize, InetAddress source) {
        this(payload, destination, ecn, segmentSize, source, 0);
    }

    /**
     * Returns a copy sent through a chosen interface (with {@link #withSource}, from a chosen
     * address too): the route lookup is restricted to that interface, as {@code IP_PKTINFO}'s
     * {@code ipi_ifindex} or {@code IPV6_PKTINFO}'s {@code ipi6_ifindex} asks.
     *
     * @param via the interface to leave through, or {@code null} to let the route choose
     * @return a copy carrying its index
     */
    public OutboundDatagram withInterface(java.net.NetworkInterface via) {
        return new OutboundDatagram(payload, destination, ecn, segmentSize, source, via == null ? 0 : via.getIndex());
    }
}
