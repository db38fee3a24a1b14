package dev.salvo.write;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One queued datagram: a reusable slot of the write queue, so that queuing allocates nothing.
 *
 * <p>The payload is either a {@link ByteBuffer} (heap or direct) or a {@link MemorySegment}
 * (heap or native); {@link #offset()} and {@link #length()} are captured when the write is
 * queued, so later changes to the buffer's position do not matter — its bytes must stay
 * untouched until the write completes. Writers copy heap payloads into native memory and point
 * straight at native ones.
 */
public final class PendingWrite {
    /** {@link #ecn()} when the datagram carries no ECN codepoint. */
    public static final int NO_ECN = -1;

    Object payload;
    long offset;
    int length;
    SocketAddress destination;
    int ecn = NO_ECN;
    int segmentSize;
    InetAddress source;
    Object completion;

    /** Package-private: slots are created and recycled by the queue. */
    PendingWrite() {
    }

    /** Fills this slot; used by the queue (and by tests of writers). */
    public void set(Object payload, long offset, int length, SocketAddress destination,
                    int ecn, int segmentSize, InetAddress source, Object completion) {
        this.payload = payload;
        this.offset = offset;
        this.length = length;
        this.destination = destination;
        this.ecn = ecn;
        this.segmentSize = segmentSize;
        this.source = source;
        this.completion = completion;
    }

    /** Drops every reference so that a recycled slot keeps nothing alive. */
    void clear() {
        set(null, 0, 0, null, NO_ECN, 0, null, null);
    }

    /** @return a {@link ByteBuffer} or a {@link MemorySegment} */
    public Object payload() {
        return payload;
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

    /** @return the source address to send from, or {@code null} to let the kernel choose */
    public InetAddress source() {
        return source;
    }

    /** @return a {@link java.util.concurrent.CompletableFuture}, a {@link dev.salvo.WriteCompletion}, or {@code null} */
    public Object completion() {
        return completion;
    }

    /** A test helper: a fresh, unqueued slot. */
    public static PendingWrite detached() {
        return new PendingWrite();
    }
}
