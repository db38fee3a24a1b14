package dev.salvo.write;

import dev.salvo.WriteCompletion;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One queued datagram: a reusable slot of the write queue, so that queuing allocates nothing.
 *
 * <p>Filled in place between {@link PendingDatagramWritesManager#claim()} and
 * {@link PendingDatagramWritesManager#commit()} with the chainable setters. The payload is either
 * a {@link ByteBuffer} (heap or direct) or a {@link MemorySegment} (heap or native), never both;
 * {@link #offset()} and {@link #length()} are captured when the write is queued, so later changes
 * to the buffer's position do not matter — its bytes must stay untouched until the write
 * completes. Writers copy heap payloads into native memory and point straight at native ones.
 *
 * <p>The setters check their own arguments ({@link IllegalArgumentException}) and assign nothing
 * when they throw.
 */
public final class PendingWrite {
    /** {@link #ecn()} when the datagram carries no ECN codepoint. */
    public static final int NO_ECN = -1;

    private ByteBuffer buffer;
    private MemorySegment segment;
    private long offset;
    private int length;
    private SocketAddress destination;
    private int ecn = NO_ECN;
    private int segmentSize;
    private InetAddress source;
    private int interfaceIndex;
    private WriteCompletion completion;
    /** Engine-owned: segments of a software GSO split already sent (see {@link #segmentsSent()}). */
    private int segmentsSent;

    /** Package-private: slots are created and recycled by the queue. */
    PendingWrite() {
    }

    /**
     * @param payload the datagram's buffer; indexes are absolute, its position is ignored
     * @param offset where the datagram starts, ≥ 0
     * @param length its length, ≥ 0 (0 is legal)
     * @return this
     */
    public PendingWrite buffer(ByteBuffer payload, int offset, int length) {
        checkRange(offset, length);
        this.buffer = payload;
        this.segment = null;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * @param payload the datagram's segment
     * @param offset where the datagram starts, ≥ 0
     * @param length its length, ≥ 0 (0 is legal)
     * @return this
     */
    public PendingWrite segment(MemorySegment payload, long offset, int length) {
        checkRange(offset, length);
        this.segment = payload;
        this.buffer = null;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** @param to the destination, or {@code null} for the connected peer @return this */
    public PendingWrite destination(SocketAddress to) {
        this.destination = to;
        return this;
    }

    /** @param codepoint the ECN codepoint 0–3, or {@link #NO_ECN} @return this */
    public PendingWrite ecn(int codepoint) {
        if (codepoint < NO_ECN || codepoint > 3) {
            throw new IllegalArgumentException("bad datagram: ecn=" + codepoint);
        }
        this.ecn = codepoint;
        return this;
    }

    /** @param size the GSO segment size, or 0 for none @return this */
    public PendingWrite segmentSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("bad datagram: segmentSize=" + size);
        }
        this.segmentSize = size;
        return this;
    }

    /** @param from the source address to send from, or {@code null} to let the kernel choose @return this */
    public PendingWrite source(InetAddress from) {
        this.source = from;
        return this;
    }

    /** @param ifindex the interface to send through (packet info), or 0 to let the route choose @return this */
    public PendingWrite interfaceIndex(int ifindex) {
        this.interfaceIndex = ifindex;
        return this;
    }

    /** @param c told once of the datagram's fate, or {@code null} for fire-and-forget @return this */
    public PendingWrite completion(WriteCompletion c) {
        this.completion = c;
        return this;
    }

    private static void checkRange(long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad datagram: offset=" + offset + " length=" + length);
        }
    }

    /** Drops every reference so that a recycled slot keeps nothing alive. */
    void clear() {
        buffer = null;
        segment = null;
        offset = 0;
        length = 0;
        destination = null;
        ecn = NO_ECN;
        segmentSize = 0;
        source = null;
        interfaceIndex = 0;
        completion = null;
        segmentsSent = 0;
    }

    void addSegmentsSent(int segments) {
        segmentsSent += segments;
    }

    /** @return the payload when it is a buffer, else {@code null} */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return the payload when it is a memory segment, else {@code null} */
    public MemorySegment segment() {
        return segment;
    }

    /** @return whether a payload was set */
    public boolean hasPayload() {
        return buffer != null || segment != null;
    }

    /** @return where the datagram starts in the payload (bytes) */
    public long offset() {
        return offset;
    }

    /** @return the datagram's length in bytes (0 is legal) */
    public int length() {
        return length;
    }

    /** @return the destination, or {@code null} on a connected channel */
    public SocketAddress destination() {
        return destination;
    }

    /** @return the ECN codepoint 0–3 to send with, or {@link #NO_ECN} */
    public int ecn() {
        return ecn;
    }

    /** @return the GSO segment size, or 0 when the datagram is not to be segmented */
    public int segmentSize() {
        return segmentSize;
    }

    /** @return the interface to send through (packet info), or 0 to let the route choose */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** @return the source address to send from, or {@code null} to let the kernel choose */
    public InetAddress source() {
        return source;
    }

    /** @return the completion, or {@code null} */
    public WriteCompletion completion() {
        return completion;
    }

    /**
     * A writer that splits a datagram with a segment size into separate datagrams (GSO off)
     * resumes from here: the segments an earlier call sent before the socket filled up. Written
     * only by the engine, from {@link SendOutcome#segmentsSent()}; 0 for a fresh slot.
     *
     * @return segments of this datagram already sent
     */
    public int segmentsSent() {
        return segmentsSent;
    }

    /** For tests and probes that drive a writer without a queue: a fresh, unqueued slot. */
    public static PendingWrite detached() {
        return new PendingWrite();
    }
}
