package dev.salvo.read;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Turns a {@link ReceivedBatch} into datagrams for a {@link ReadSink}: decodes each message's
 * metadata into a {@link RecvMeta}, splits a GRO message back into the datagrams its sender sent,
 * and hands each through one reused {@link DatagramView}. Also keeps the socket's kernel drop
 * count, since that arrives with the messages.
 *
 * <p>One per socket (it holds the socket's read options and the view its handler sees); the
 * {@link SenderCache} is the event loop's, shared by its sockets. Confined to the loop's thread.
 * Delivering allocates nothing for senders (IPv4, IPv6, IPv4-mapped) and packet-info
 * destinations already in the cache, whatever metadata is on.
 */
public final class DatagramReader {
    private final SenderCache senders;
    private final RecvMeta meta = new RecvMeta();
    private final DatagramView view = new DatagramView();
    private boolean receiveEcn;
    private boolean receivePacketInfo;
    private long kernelDrops;
    private long truncated;

    /**
     * @param senders the event loop's sender cache
     * @param dropsCounted whether the socket's messages may carry a drop counter
     *     ({@link ReceivedBatch#dropCount}): {@link #kernelDrops()} then starts at 0, else at -1
     *     (unknown). The epoll transport no longer asks for one (it reads {@code SO_MEMINFO}
     *     instead), so there it stays 0.
     */
    public DatagramReader(SenderCache senders, boolean dropsCounted) {
        this.senders = Objects.requireNonNull(senders, "senders");
        this.kernelDrops = dropsCounted ? 0 : -1;
    }

    /** @param on whether datagrams carry their ECN codepoint (the socket asked the kernel for it) */
    public void receiveEcn(boolean on) {
        receiveEcn = on;
    }

    /** @return whether datagrams carry their ECN codepoint */
    public boolean receivesEcn() {
        return receiveEcn;
    }

    /** @param on whether datagrams carry their destination address (the socket asked for packet info) */
    public void receivePacketInfo(boolean on) {
        receivePacketInfo = on;
    }

    /** @return whether datagrams carry their destination address */
    public boolean receivesPacketInfo() {
        return receivePacketInfo;
    }

    /**
     * @return the kernel's drop counter for the socket as of the last message that carried it
     *     (the kernel sends it only once non-zero), or -1 when the socket cannot count drops
     */
    public long kernelDrops() {
        return kernelDrops;
    }

    /**
     * Counts the messages received larger than their buffer, and cut (counted only; they are
     * delivered as they are); loop thread.
     *
     * @return messages cut so far
     */
    public long truncatedDatagrams() {
        return truncated;
    }

    /**
     * Delivers every message of the batch, in order, each GRO message as its segments.
     *
     * @param batch what the transport just received
     * @param sink where the datagrams go
     * @return the datagrams delivered (at least {@code batch.count()})
     */
    public int deliver(ReceivedBatch batch, ReadSink sink) {
        int n = batch.count();
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            delivered += deliver(batch, i, sink);
        }
        return delivered;
    }

    private int deliver(ReceivedBatch batch, int i, ReadSink sink) {
        // Updated before the sink runs, so that a handler asking for the count sees this message's.
        long drops = batch.dropCount(i);
        if (drops >= 0) {
            kernelDrops = drops;
        }
        RecvMeta m = meta.decode(batch, i, senders, receiveEcn, receivePacketInfo);
        if (m.truncated()) {
            truncated++;
        }
        ByteBuffer buffer = batch.payloadBuffer(i);
        ByteBuffer writable = batch.writablePayloadBuffer(i);
        int length = m.length();
        int stride = m.stride();
        if (stride == 0 || stride >= length) {
            buffer.limit(length).position(0);
            sink.accept(view.set(buffer, m.sender(), m.destination(), m.ecn(), stride).writable(writable)
                    .truncated(m.truncated()).arrival(m.interfaceIndex(), m.timestampNanos()));
            return 1;
        }
        // The last segment may be shorter than the stride: the sender's last datagram was.
        int count = 0;
        for (int off = 0; off < length; off += stride) {
            int end = Math.min(off + stride, length);
            buffer.limit(end).position(off);
            // A cut GRO message (its buffer is the largest UDP payload, so hardly ever) cut its last segment.
            boolean cut = m.truncated() && off + stride >= length;
            // Every segment carries the message's arrival interface and timestamp: the kernel took them once.
            sink.accept(view.set(buffer, m.sender(), m.destination(), m.ecn(), stride).writable(writable).truncated(cut)
                    .arrival(m.interfaceIndex(), m.timestampNanos()));
            count++;
        }
        return count;
    }
}
