package dev.salvo;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * An immutable copy of a received datagram, made by {@link InboundDatagram#copy()}.
 *
 * @param payload a read-only heap buffer holding exactly the datagram's bytes
 * @param sender who sent it
 * @param destination the local address it was sent to (packet info), or {@code null}
 * @param ecn the ECN codepoint it arrived with, or {@code null} when not asked for
 * @param segmentSize the GRO segment size it was split from, or 0
 * @param truncated whether it was larger than the receive buffer and arrived cut
 *     ({@link InboundDatagram#truncated()})
 * @param interfaceIndex the interface it arrived on (packet info), or 0 ({@link InboundDatagram#interfaceIndex()})
 * @param timestampNanos the kernel's receive timestamp in nanoseconds since the epoch, or
 *     {@link InboundDatagram#NO_TIMESTAMP} ({@link InboundDatagram#timestampNanos()})
 */
public record ReceivedDatagram(ByteBuffer payload, SocketAddress sender, InetAddress destination, Ecn ecn,
                               int segmentSize, boolean truncated, int interfaceIndex, long timestampNanos) {
    /**
     * A copy without arrival interface or timestamp.
     *
     * @param payload a read-only heap buffer holding exactly the datagram's bytes
     * @param sender who sent it
     * @param destination the local address it was sent to (packet info), or {@code null}
     * @param ecn the ECN codepoint it arrived with, or {@code null} when not asked for
     * @param segmentSize the GRO segment size it was split from, or 0
     * @param truncated whether it was larger than the receive buffer and arrived cut
     */
    public ReceivedDatagram(ByteBuffer payload, SocketAddress sender, InetAddress destination, Ecn ecn,
                            int segmentSize, boolean truncated) {
        this(payload, sender, destination, ecn, segmentSize, truncated, 0, InboundDatagram.NO_TIMESTAMP);
    }

    /**
     * A copy of a datagram that arrived whole.
     *
     * @param payload a read-only heap buffer holding exactly the datagram's bytes
     * @param sender who sent it
     * @param destination the local address it was sent to (packet info), or {@code null}
     * @param ecn the ECN codepoint it arrived with, or {@code null} when not asked for
     * @param segmentSize the GRO segment size it was split from, or 0
     */
    public ReceivedDatagram(ByteBuffer payload, SocketAddress sender, InetAddress destination, Ecn ecn,
                            int segmentSize) {
        this(payload, sender, destination, ecn, segmentSize, false);
    }

    /**
     * Copies the payload out; the record's buffer and its position are left as they are.
     *
     * @return the payload as a new byte array
     */
    public byte[] bytes() {
        byte[] out = new byte[payload.remaining()];
        payload.duplicate().get(out);
        return out;
    }
}
