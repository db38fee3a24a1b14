package dev.salvo.read;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The read SPI: what one receive call left in a transport's buffers, message by message, before
 * any GRO splitting. The Linux transport implements it over its {@code recvmmsg} batch, the
 * java.nio transport over one datagram; {@link DatagramReader} turns it into datagrams.
 *
 * <p>Every accessor except {@link #sender} and {@link #destination} must be allocation-free: they
 * run once per received message. A message index runs from 0 to {@link #count()} - 1 and is
 * valid until the transport's next receive.
 */
public interface ReceivedBatch {
    /** @return how many messages the last receive returned */
    int count();

    /** @return the bytes of message {@code i} in its buffer (never more than the buffer holds) */
    int length(int i);

    /**
     * @return true when message {@code i} was larger than its buffer and was cut; false when it
     *     was whole or the transport cannot tell
     */
    boolean isTruncated(int i);

    /** @return the GRO segment size of message {@code i}, or 0 when the kernel did not coalesce it */
    int groSegmentSize(int i);

    /** @return the two ECN bits message {@code i} arrived with, or -1 when none were reported */
    int ecn(int i);

    /** @return true when message {@code i} carried packet info (its destination address) */
    boolean hasDestination(int i);

    /** @return the packet-info destination of message {@code i} (may allocate), or {@code null} */
    InetAddress destination(int i);

    /**
     * @return true when the sender of message {@code i} is IPv4 (or IPv4-mapped) and can be read
     *     without allocating through {@link #senderInet4} and {@link #senderPort}
     */
    boolean senderIsInet4(int i);

    /** @return the IPv4 sender of message {@code i}, most significant byte first (when {@link #senderIsInet4}) */
    int senderInet4(int i);

    /** @return the sender's port of message {@code i} (when {@link #senderIsInet4}) */
    int senderPort(int i);

    /** @return the sender of message {@code i} as an object (may allocate), or {@code null} when none was reported */
    SocketAddress sender(int i);

    /**
     * Returns the sender of message {@code i} through the loop's cache, so that a peer heard from
     * before costs no allocation. The default serves IPv4 (and IPv4-mapped) senders from the
     * cache and everything else through {@link #sender(int)}; a transport that can read IPv6
     * addresses as raw bits overrides it to serve those from the cache too.
     *
     * @param senders the loop's sender cache
     * @return the sender, or {@code null} when none was reported
     */
    default SocketAddress sender(int i, SenderCache senders) {
        return senderIsInet4(i) ? senders.v4(senderInet4(i), senderPort(i)) : sender(i);
    }

    /**
     * Returns the packet-info destination of message {@code i} through the loop's cache (local
     * addresses are few, so this allocates only the first time each is seen). The default asks
     * {@link #destination(int)}.
     *
     * @param senders the loop's cache, which also holds local addresses
     * @return the destination, or {@code null} when the message carried no packet info
     */
    default InetAddress destination(int i, SenderCache senders) {
        return destination(i);
    }

    /**
     * @return the index of the interface message {@code i} arrived on, from packet info
     *     ({@code ipi_ifindex} / {@code ipi6_ifindex}), or 0 when it carried none
     */
    default int interfaceIndex(int i) {
        return 0;
    }

    /**
     * @return the kernel's receive timestamp of message {@code i} in nanoseconds since the epoch
     *     ({@code SO_TIMESTAMPNS}), or {@link dev.salvo.InboundDatagram#NO_TIMESTAMP} when none was reported
     */
    default long timestampNanos(int i) {
        return dev.salvo.InboundDatagram.NO_TIMESTAMP;
    }

    /**
     * @return a read-only buffer over message {@code i}'s storage, its first {@link #length}
     *     bytes being the message; the reader moves its position and limit freely, so it must not
     *     be shared with anything that relies on them
     */
    ByteBuffer payloadBuffer(int i);

    /**
     * @return a writable buffer over the same storage as {@link #payloadBuffer}, for handlers that
     *     work on a datagram in place, or {@code null} when the transport has none (the datagram is
     *     then copied on request); like {@code payloadBuffer}, the reader moves its position and limit
     */
    default ByteBuffer writablePayloadBuffer(int i) {
        return null;
    }
}
