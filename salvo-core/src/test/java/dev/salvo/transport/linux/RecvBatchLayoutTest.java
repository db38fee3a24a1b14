package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The receive slots' stride: whole cache lines, an odd number of them, never less than the buffer. */
class RecvBatchLayoutTest {
    @Test
    void slotsAreAnOddNumberOfWholeCacheLinesAtLeastTheBufferSize() {
        assertEquals(64, RecvBatch.slotStride(1));
        assertEquals(64, RecvBatch.slotStride(64));
        assertEquals(1216, RecvBatch.slotStride(1200), "19 lines: already odd");
        assertEquals(2112, RecvBatch.slotStride(2048), "32 lines would put every slot's first line in two L1 sets");
        assertEquals(65600, RecvBatch.slotStride(65507));
        for (int size = 1; size <= RecvBatch.MAX_DATAGRAM_SIZE; size += 97) {
            int stride = RecvBatch.slotStride(size);
            assertTrue(stride >= size && stride - size < 128, "size " + size + ": stride " + stride);
            assertEquals(1, (stride / 64) % 2, "size " + size);
            assertEquals(0, stride % 64);
        }
    }
}
