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

    @Test
    void aCallIsGivenAtMost512KiBOfBuffersAndAtLeastOneMessage() {
        assertEquals(64, RecvBatch.messagesPerCall(64, 2048), "the default batch is untouched");
        assertEquals(256, RecvBatch.messagesPerCall(1024, 2048));
        assertEquals(8, RecvBatch.messagesPerCall(64, 65_535), "GRO's 64 KiB buffers");
        assertEquals(3, RecvBatch.messagesPerCall(3, 65_535), "a smaller wish is kept");
        assertEquals(1, RecvBatch.messagesPerCall(1, 2048));
        assertEquals(RecvBatch.MAX_MESSAGES, RecvBatch.messagesPerCall(5000, 1));
        for (int size = 1; size <= RecvBatch.MAX_DATAGRAM_SIZE; size += 331) {
            int m = RecvBatch.messagesPerCall(64, size);
            assertTrue(m >= 1 && m <= 64 && (long) m * size <= RecvBatch.BYTES_PER_CALL, "size " + size + ": " + m);
        }
    }
}
