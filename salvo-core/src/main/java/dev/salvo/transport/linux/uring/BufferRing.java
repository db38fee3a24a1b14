package dev.salvo.transport.linux.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.salvo.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}) of one socket: {@code entries}
 * equal buffers the kernel picks from for each multishot receive. A buffer the kernel filled is
 * the application's until {@link #recycle} puts it back; {@link #publish} makes returned buffers
 * visible (a release store of the ring's 16-bit tail, which shares the first entry's last field).
 */
final class BufferRing {
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();
    private static final long ENTRY_SIZE = 16;
    private static final long TAIL = 14;
    private static final long REG_SIZE = 40;

    final int groupId;
    final int entries;
    /** Bytes the kernel may fill in each buffer. */
    final int bufferSize;
    /** Distance between buffers: {@link #bufferSize} rounded up to 64, so every header is aligned. */
    final int stride;
    private final Arena arena;
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private final ByteBuffer[] views;
    private final ByteBuffer[] writableViews;
    private final MemorySegment reg;
    private final int mask;
    private int tail;

    /**
     * Allocates and registers the ring, every buffer in it.
     *
     * @param payloadOffset where, in each buffer, a view starts ({@link #view})
     * @throws NativeIOException when the kernel refuses the registration
     */
    BufferRing(Ring owner, int groupId, int entries, int bufferSize, int payloadOffset) throws NativeIOException {
        this.groupId = groupId;
        this.entries = entries;
        this.bufferSize = bufferSize;
        this.stride = (bufferSize + 63) & ~63;
        this.mask = entries - 1;
        this.arena = Arena.ofShared();
        try {
            ring = arena.allocate(ENTRY_SIZE * entries, 4096);
            buffers = arena.allocate((long) stride * entries, 64);
            reg = arena.allocate(REG_SIZE, 8);
            reg.set(JAVA_LONG, 0, ring.address());
            reg.set(JAVA_INT, 8, entries);
            reg.set(JAVA_SHORT, 12, (short) groupId);
            int r = owner.registerBufferRing(reg, true);
            if (r < 0) {
                throw new NativeIOException("IORING_REGISTER_PBUF_RING", -r);
            }
        } catch (NativeIOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        views = new ByteBuffer[entries];
        writableViews = new ByteBuffer[entries];
        for (int bid = 0; bid < entries; bid++) {
            writableViews[bid] = buffers.asSlice((long) bid * stride + payloadOffset, bufferSize - payloadOffset)
                    .asByteBuffer();
            views[bid] = writableViews[bid].asReadOnlyBuffer();
            recycle(bid);
        }
        publish();
    }

    /** @return every buffer, back to back: buffer {@code bid} starts at {@code bid * stride} */
    MemorySegment buffers() {
        return buffers;
    }

    /** @return a read-only buffer over buffer {@code bid} from its payload offset on, made once */
    ByteBuffer view(int bid) {
        return views[bid];
    }

    /** @return a writable twin of {@link #view}, made once */
    ByteBuffer writableView(int bid) {
        return writableViews[bid];
    }

    /** Hands buffer {@code bid} back to the kernel (visible after {@link #publish}). */
    void recycle(int bid) {
        long e = (long) (tail & mask) * ENTRY_SIZE;
        ring.set(JAVA_LONG, e, buffers.address() + (long) bid * stride);
        ring.set(JAVA_INT, e + 8, bufferSize);
        ring.set(JAVA_SHORT, e + 12, (short) bid);
        tail++;
    }

    /** Publishes the buffers recycled since the last call. */
    void publish() {
        SHORT.setRelease(ring, TAIL, (short) tail);
    }

    /** Unregisters the ring and frees its memory; the kernel must be done with every buffer. */
    void close(Ring owner) {
        owner.registerBufferRing(reg, false);
        arena.close();
    }
}
