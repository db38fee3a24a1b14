package dev.salvo.cli;

import java.nio.ByteBuffer;

/**
 * A ring of direct memory for payloads that wait in a write queue: {@link #reserve} takes the next
 * {@code length} bytes, {@link #release} frees the oldest reservation. Because a channel completes
 * its writes in queue order, releasing on each completion frees exactly the region that write
 * used, and the echo server copies each datagram without allocating.
 *
 * <p>A reservation is always contiguous: one that does not fit before the end of the ring skips
 * the tail end, and that gap is freed with it. Loop thread only.
 */
final class PayloadRing {
    private final ByteBuffer memory;
    private final int[] reservations;
    private int head;
    private long used;
    private int oldest;
    private int count;

    /**
     * @param capacityBytes bytes of payload the ring holds
     * @param maxReservations how many reservations may be outstanding at once
     */
    PayloadRing(int capacityBytes, int maxReservations) {
        this.memory = ByteBuffer.allocateDirect(capacityBytes);
        this.reservations = new int[maxReservations];
    }

    /** @return the ring's memory; a reservation's bytes are {@code [offset, offset + length)} */
    ByteBuffer memory() {
        return memory;
    }

    /**
     * @param length bytes needed
     * @return the offset of {@code length} contiguous free bytes, now reserved; -1 when the ring is full
     */
    int reserve(int length) {
        int capacity = memory.capacity();
        if (count == reservations.length || length > capacity) {
            return -1;
        }
        int start = head;
        int gap = 0;
        if (start + length > capacity) {
            gap = capacity - start; // wrap: the bytes up to the end are skipped
            start = 0;
        }
        if (used + gap + length > capacity) {
            return -1;
        }
        head = start + length;
        used += gap + length;
        reservations[(oldest + count) % reservations.length] = gap + length;
        count++;
        return start;
    }

    /** Frees the oldest reservation. */
    void release() {
        if (count == 0) {
            throw new IllegalStateException("nothing reserved");
        }
        used -= reservations[oldest];
        oldest = (oldest + 1) % reservations.length;
        count--;
        if (count == 0) {
            head = 0; // empty: start again at the front, so large payloads need not wrap
            used = 0;
        }
    }

    /** @return bytes reserved, counting skipped gaps */
    long used() {
        return used;
    }

    /** @return reservations outstanding */
    int outstanding() {
        return count;
    }
}
