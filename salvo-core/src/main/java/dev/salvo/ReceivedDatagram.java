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
 */
public record ReceivedDatagram(ByteBuffer payload, SocketAddress sender, InetAddress destination, Ecn ecn,
                               int segmentSize, boolean truncated) {
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
