package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.write.PendingWrite;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RecvBatchTest {

    @Test
    void anEmptySocketIsEagainAsAValueAndLeavesNoMessages() throws Exception {
        int rx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try (Arena arena = Arena.ofConfined()) {
            RecvBatch batch = new RecvBatch(arena);
            assertEquals(-Errno.EAGAIN, batch.receive(rx));
            assertEquals(0, batch.count());
            assertThrows(IndexOutOfBoundsException.class, () -> batch.length(0));
        } finally {
            Sockets.close(rx);
        }
    }

    @Test
    void aDatagramLargerThanItsBufferIsCutAndFlaggedTruncated() throws Exception {
        int rx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try (Arena arena = Arena.ofConfined()) {
            TestSockets.sendmsg(rx, Sockets.localAddress(rx), AF_INET, new byte[300]);
            TestSockets.sendmsg(rx, Sockets.localAddress(rx), AF_INET, new byte[100]);
            RecvBatch batch = new RecvBatch(arena, 8, 128);
            int n = TestSockets.receiveSome(batch, rx);
            assertEquals(2, n);
            assertTrue(batch.isTruncated(0));
            assertEquals(128, batch.length(0));
            assertEquals(128, batch.payload(0).byteSize());
            assertFalse(batch.isTruncated(1));
            assertEquals(100, batch.length(1));
            assertEquals(-1, batch.ecn(1), "TOS reception is not enabled");
            assertEquals(0, batch.groSegmentSize(1));
            assertFalse(batch.hasDestination(1));
            assertNull(batch.destination(1));
            InetSocketAddress self = (InetSocketAddress) Sockets.localAddress(rx);
            assertEquals(self.getPort(), batch.senderPort(1));
            assertEquals(0x7F000001, batch.senderInet4(1));
            assertEquals(self, batch.sender(1));
        } finally {
            Sockets.close(rx);
        }
    }

    @Test
    void sizesOutsideTheLimitsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> new RecvBatch(arena, 0, 2048));
            assertThrows(IllegalArgumentException.class, () -> new RecvBatch(arena, 1025, 2048));
            assertThrows(IllegalArgumentException.class, () -> new RecvBatch(arena, 64, 65_536));
            assertEquals(1024, new RecvBatch(arena, 1024, 65_535).capacity());
        }
    }
}
