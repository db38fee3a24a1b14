package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The echo server's payload ring hands out disjoint contiguous regions and frees them in order. */
class EchoPayloadRingTest {
    @Test
    void reservationsAreContiguousAndDisjointUntilFull() {
        PayloadRing ring = new PayloadRing(100, 16);
        assertEquals(0, ring.reserve(40));
        assertEquals(40, ring.reserve(40));
        assertEquals(-1, ring.reserve(30), "only 20 bytes are left");
        assertEquals(80, ring.reserve(20));
        assertEquals(-1, ring.reserve(1), "the ring is full");
    }

    @Test
    void aReservationThatWouldCrossTheEndWrapsAndItsGapIsFreedWithIt() {
        PayloadRing ring = new PayloadRing(100, 16);
        assertEquals(0, ring.reserve(60));
        assertEquals(60, ring.reserve(30));
        ring.release(); // frees [0, 60)
        assertEquals(0, ring.reserve(20), "20 does not fit in [90, 100): wrap to the front");
        assertEquals(20 + 30 + 10, ring.used(), "the skipped 10 bytes count as used");
        ring.release(); // frees [60, 90)
        ring.release(); // frees the gap and [0, 20)
        assertEquals(0, ring.used());
        assertEquals(0, ring.outstanding());
        assertEquals(0, ring.reserve(100), "an empty ring starts at the front again");
    }

    @Test
    void tooManyOutstandingReservationsIsFull() {
        PayloadRing ring = new PayloadRing(100, 2);
        ring.reserve(1);
        ring.reserve(1);
        assertEquals(-1, ring.reserve(1));
        ring.release();
        assertEquals(2, ring.reserve(1));
    }

    @Test
    void releaseWithoutReservationIsABug() {
        assertThrows(IllegalStateException.class, () -> new PayloadRing(10, 2).release());
    }

    @Test
    void randomReserveAndReleaseNeverOverlapsLiveRegions() {
        Random random = new Random(42);
        int capacity = 1000;
        PayloadRing ring = new PayloadRing(capacity, 64);
        ArrayDeque<int[]> live = new ArrayDeque<>();
        for (int step = 0; step < 100_000; step++) {
            if (!live.isEmpty() && random.nextInt(3) == 0) {
                live.removeFirst();
                ring.release();
                continue;
            }
            int length = random.nextInt(300);
            int offset = ring.reserve(length);
            if (offset < 0) {
                continue;
            }
            assertTrue(offset + length <= capacity);
            for (int[] r : live) {
                boolean disjoint = offset + length <= r[0] || r[0] + r[1] <= offset || length == 0 || r[1] == 0;
                assertTrue(disjoint, "[" + offset + "," + (offset + length) + ") overlaps [" + r[0] + "," + (r[0] + r[1]) + ")");
            }
            live.addLast(new int[] {offset, length});
        }
    }
}
