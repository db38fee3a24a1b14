package dev.salvo.read;

import java.util.Objects;

/**
 * Turns a {@link ReceivedBatch} into datagrams for a {@link ReadSink}: splits a GRO message back
 * into the datagrams its sender sent, counts the messages the kernel cut, and hands each datagram
 * through one reused {@link DatagramView}, which reads the rest of a message's metadata from the
 * batch only when the handler asks for it.
 *
 * <p>One per socket (it holds the socket's read options and the view its handler sees); the
 * {@link SenderCache} is the event loop's, shared by its sockets. Confined to the loop's thread.
 * Delivering allocates nothing for senders (IPv4, IPv6, IPv4-mapped) and packet-info
 * destinations already in the cache, whatever metadata is on.
 */
public final class DatagramReader {
    private final DatagramView view;
    private long truncated;

    /** @param senders the event loop's sender cache */
    public DatagramReader(SenderCache senders) {
        this.view = new DatagramView(Objects.requireNonNull(senders, "senders"));
    }

    /** @param on whether datagrams carry their ECN codepoint (the socket asked the kernel for it) */
    public void receiveEcn(boolean on) {
        view.receiveEcn(on);
    }

    /** @return whether datagrams carry their ECN codepoint */
    public boolean receivesEcn() {
        return view.receivesEcn();
    }

    /** @param on whether datagrams carry their destination address (the socket asked for packet info) */
    public void receivePacketInfo(boolean on) {
        view.receivePacketInfo(on);
    }

    /** @return whether datagrams carry their destination address */
    public boolean receivesPacketInfo() {
        return view.receivesPacketInfo();
    }

    /**
     * Counts the messages received larger than their buffer, and cut (each is delivered flagged,
     * holding its first bytes); loop thread.
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
        int length = batch.length(i);
        int stride = Math.max(batch.groSegmentSize(i), 0);
        boolean cut = batch.isTruncated(i);
        if (cut) {
            truncated++;
        }
        if (stride == 0 || stride >= length) {
            sink.message(1, length);
            sink.accept(view.point(batch, i, 0, length, stride, cut));
            return 1;
        }
        // The last segment may be shorter than the stride: the sender's last datagram was. Every
        // segment carries the message's sender, arrival interface and timestamp: the kernel took
        // them once, and the view reads them once per message. A cut GRO message (its buffer is
        // the largest UDP payload, so hardly ever) cut its last segment.
        int segments = (length + stride - 1) / stride;
        sink.message(segments, length);
        sink.accept(view.point(batch, i, 0, stride, stride, false));
        for (int off = stride; off < length; off += stride) {
            int end = Math.min(off + stride, length);
            sink.accept(view.segment(off, end - off, cut && end == length));
        }
        return segments;
    }
}
