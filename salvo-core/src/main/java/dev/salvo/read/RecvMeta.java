package dev.salvo.read;

import dev.salvo.Ecn;
import java.net.InetAddress;
import java.net.SocketAddress;

/**
 * One received message as the kernel returned it, before GRO splitting: quinn-udp's
 * {@code RecvMeta} (sender, length, stride, ECN, destination), plus the truncation flag, the
 * arrival interface and the kernel's receive timestamp. Each
 * datagram feature is a field here, so a new one does not add a parameter to every layer.
 *
 * <p>A reused flyweight, not a value: {@link DatagramReader} refills one instance for every
 * message, which is what keeps receiving free of allocation. Valid until the next message.
 */
public final class RecvMeta {
    private SocketAddress sender;
    private int length;
    private int stride;
    private Ecn ecn;
    private InetAddress destination;
    private boolean truncated;
    private int interfaceIndex;
    private long timestampNanos;

    /**
     * Reads message {@code i} of {@code batch}. The IPv4 sender comes from {@code senders}, so a
     * peer heard from before costs no allocation; other senders are decoded by the batch.
     *
     * @param receiveEcn whether ECN reception is on (else {@link #ecn()} is {@code null} whatever the batch says)
     * @param receivePacketInfo whether packet info is on (else {@link #destination()} is {@code null})
     * @return this
     */
    RecvMeta decode(ReceivedBatch batch, int i, SenderCache senders, boolean receiveEcn, boolean receivePacketInfo) {
        sender = batch.sender(i, senders);
        length = batch.length(i);
        stride = Math.max(batch.groSegmentSize(i), 0);
        int bits = batch.ecn(i);
        ecn = receiveEcn && bits >= 0 ? Ecn.fromTos(bits) : null;
        boolean pktinfo = receivePacketInfo && batch.hasDestination(i);
        destination = pktinfo ? batch.destination(i, senders) : null;
        interfaceIndex = pktinfo ? batch.interfaceIndex(i) : 0;
        timestampNanos = batch.timestampNanos(i);
        truncated = batch.isTruncated(i);
        return this;
    }

    /** @return the interface the message arrived on when packet info is on and reported, else 0 */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /**
     * @return the kernel's receive timestamp in nanoseconds since the epoch, or
     *     {@link dev.salvo.InboundDatagram#NO_TIMESTAMP} when the batch reported none
     */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** @return who sent the message, or {@code null} when the kernel reported no address */
    public SocketAddress sender() {
        return sender;
    }

    /** @return the bytes received (all segments of a GRO message together) */
    public int length() {
        return length;
    }

    /** @return the GRO segment size: every segment but the last is this long; 0 when not coalesced */
    public int stride() {
        return stride;
    }

    /** @return how many datagrams the message holds: 1, or more for a GRO message split by {@link #stride()} */
    public int segments() {
        return stride > 0 && stride < length ? (length + stride - 1) / stride : 1;
    }

    /** @return the ECN codepoint when ECN reception is on and the kernel reported one, else {@code null} */
    public Ecn ecn() {
        return ecn;
    }

    /** @return the local destination address when packet info is on and reported, else {@code null} */
    public InetAddress destination() {
        return destination;
    }

    /** @return whether the message was larger than its buffer and was cut */
    public boolean truncated() {
        return truncated;
    }
}
