package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static dev.salvo.transport.linux.LinuxConstants.SO_SNDBUF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The kernel's own errors, provoked on real sockets, arrive as the right errno or exception. */
class KernelErrorMappingTest {

    @Test
    void datagramOf70000BytesIsRefusedByTheKernelWithEmsgsize() throws Exception {
        int rx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        int tx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try {
            long r = TestSockets.sendmsg(tx, Sockets.localAddress(rx), AF_INET, new byte[70_000]);
            assertEquals(-Errno.EMSGSIZE, r);
        } finally {
            Sockets.closeQuietly(rx);
            Sockets.closeQuietly(tx);
        }
    }

    @Test
    void writerRefusesADatagramOver65535BytesWithEmsgsizeWithoutASystemCall() throws Exception {
        int tx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try (Arena arena = Arena.ofConfined()) {
            LinuxDatagramWriter w = new LinuxDatagramWriter(tx, AF_INET, new SendScratch(arena));
            var big = TestSockets.write(java.nio.ByteBuffer.allocate(70_000), 70_000,
                    Sockets.localAddress(tx));
            assertEquals(-Errno.EMSGSIZE, TestSockets.scalar(w, big));
            assertEquals(-Errno.EMSGSIZE, TestSockets.vector(w, i -> big, 1));
        } finally {
            Sockets.closeQuietly(tx);
        }
    }

    @Test
    void fullNonBlockingSocketWithTinySendBufferReturnsEagainAsAValue() throws Exception {
        // Loopback UDP frees the sender's buffer as soon as the datagram is queued at the receiver,
        // so a sender can only fill up on a unix datagram socket, where the receiver's queue holds
        // the sender's memory until it reads.
        String unique = Long.toHexString(ThreadLocalRandom.current().nextLong());
        SocketAddress target = AbstractUnixAddress.of("salvo-full-" + unique);
        int rx = TestSockets.bound(AF_UNIX, target);
        int tx = Sockets.openDatagram(AF_UNIX);
        try (Arena arena = Arena.ofConfined()) {
            Sockets.setInt(tx, SOL_SOCKET, SO_SNDBUF, 4096);
            LinuxDatagramWriter w = new LinuxDatagramWriter(tx, AF_UNIX, new SendScratch(arena));
            MemorySegment payload = arena.allocate(1000);
            var write = TestSockets.write(payload, 1000, target);
            int result = 0;
            int sent = 0;
            for (int i = 0; i < 10_000; i++) {
                result = TestSockets.scalar(w, write);
                if (result < 0) {
                    break;
                }
                sent++;
            }
            assertEquals(-Errno.EAGAIN, result, "after " + sent + " datagrams");
            assertTrue(sent > 0);
            assertEquals(-Errno.EAGAIN, TestSockets.vector(w, i -> write, 4), "a full socket sends none of a batch");
        } finally {
            Sockets.closeQuietly(rx);
            Sockets.closeQuietly(tx);
        }
    }

    @Test
    void sendOnAConnectedSocketToAClosedPortReportsEconnrefusedOnALaterCall() throws Exception {
        int closed = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        InetSocketAddress deadPort = (InetSocketAddress) Sockets.localAddress(closed);
        Sockets.close(closed);
        int tx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try (Arena arena = Arena.ofConfined()) {
            Sockets.connect(tx, deadPort);
            assertEquals(deadPort, Sockets.remoteAddress(tx));
            LinuxDatagramWriter w = new LinuxDatagramWriter(tx, AF_INET, new SendScratch(arena));
            w.setConnectedPeer(deadPort);
            var write = TestSockets.write(arena.allocate(8), 8, null);
            assertEquals(1, TestSockets.scalar(w, write), "the first send succeeds; the ICMP error comes later");
            int result = 0;
            for (int i = 0; i < 2000 && result >= 0; i++) {
                Thread.sleep(1);
                result = TestSockets.scalar(w, write);
            }
            assertEquals(-Errno.ECONNREFUSED, result);

            Sockets.disconnect(tx);
            assertEquals(null, Sockets.remoteAddress(tx));
        } finally {
            Sockets.closeQuietly(tx);
        }
    }

    @Test
    void badDescriptorIsEbadfAsAValueOnHotPathsAndAnExceptionOnColdOnes() throws Exception {
        int notOpen = 987_654;
        try (Arena arena = Arena.ofConfined()) {
            LinuxDatagramWriter w = new LinuxDatagramWriter(notOpen, AF_INET, new SendScratch(arena));
            var write = TestSockets.write(arena.allocate(8), 8, new InetSocketAddress("127.0.0.1", 9));
            assertEquals(-Errno.EBADF, TestSockets.scalar(w, write));
            assertEquals(-Errno.EBADF, TestSockets.vector(w, i -> write, 1));
            assertEquals(-Errno.EBADF, new RecvBatch(arena).receive(notOpen));
            assertEquals(-Errno.EBADF, Libc.read(Libc.threadCallState(), notOpen, arena.allocate(8), 8));
        }
        NativeIOException bind = assertThrows(NativeIOException.class,
                () -> Sockets.bind(notOpen, TestSockets.V4_ANY_PORT));
        assertEquals(Errno.EBADF, bind.errno());
        assertEquals("getsockopt(1, 39) failed: EBADF (9)", bind.getMessage());

        int fd = Sockets.openDatagram(AF_INET);
        Sockets.close(fd);
        NativeIOException close = assertThrows(NativeIOException.class, () -> Sockets.close(fd));
        assertEquals("close failed: EBADF (9)", close.getMessage());
        assertThrows(NativeIOException.class, () -> Sockets.setInt(-1, SOL_SOCKET, SO_SNDBUF, 1));
    }

    @Test
    void bindingAnAddressInUseReportsEaddrinuse() throws Exception {
        int a = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        int b = Sockets.openDatagram(AF_INET);
        try {
            NativeIOException e = assertThrows(NativeIOException.class, () -> Sockets.bind(b, Sockets.localAddress(a)));
            assertEquals("bind failed: EADDRINUSE (98)", e.getMessage());
        } finally {
            Sockets.closeQuietly(a);
            Sockets.closeQuietly(b);
        }
    }
}
