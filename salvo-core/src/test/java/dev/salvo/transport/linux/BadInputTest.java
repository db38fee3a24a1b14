package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.NativeIOException;
import dev.salvo.write.PendingWrite;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear Java exception or errno, never a JVM crash. */
class BadInputTest {

    @Test
    void transportIsAvailableHereAndSaysSo() {
        assertTrue(LinuxTransport.isAvailable(), LinuxTransport.unavailabilityReason());
        assertNull(LinuxTransport.unavailabilityReason());
        LinuxTransport.ensureAvailable();
    }

    @Test
    void unknownAddressFamilyIsAnIllegalArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sockets.openDatagram(17));
        assertTrue(e.getMessage().contains("family 17"));
    }

    @Test
    void bindingAnIpv6AddressToAnIpv4SocketIsEafnosupport() throws Exception {
        int fd = Sockets.openDatagram(AF_INET);
        try {
            NativeIOException e = assertThrows(NativeIOException.class, () -> Sockets.bind(fd, TestSockets.V6_ANY_PORT));
            assertEquals(Errno.EAFNOSUPPORT, e.errno());
            assertTrue(e.getMessage().contains("EAFNOSUPPORT"), e.getMessage());
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void unixPathOverTheLimitIsAnIllegalArgumentNamingTheLimit() throws Exception {
        int fd = Sockets.openDatagram(AF_UNIX);
        try {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Sockets.bind(fd, UnixDomainSocketAddress.of("/tmp/" + "x".repeat(120))));
            assertTrue(e.getMessage().contains("107-byte limit"), e.getMessage());
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void negativeOrOversizedLengthsAreIllegalArguments() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8);
            var e = assertThrows(IllegalArgumentException.class, () -> Libc.read(Libc.threadCallState(), 0, buf, -1));
            assertTrue(e.getMessage().contains("negative length"));
            assertThrows(IllegalArgumentException.class, () -> Libc.write(Libc.threadCallState(), 1, buf, 9));

            int fd = Sockets.openDatagram(AF_INET);
            try {
                LinuxDatagramWriter w = new LinuxDatagramWriter(fd, AF_INET, new SendScratch(arena));
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", 9);
                // A negative length cannot even be put into a slot.
                assertThrows(IllegalArgumentException.class, () -> TestSockets.write(buf, -1, to));
                PendingWrite outside = TestSockets.write(buf, 9, to);
                assertThrows(IllegalArgumentException.class, () -> TestSockets.scalar(w, outside));
                PendingWrite outsideBuffer = TestSockets.write(ByteBuffer.allocateDirect(4), 5, to);
                assertThrows(IllegalArgumentException.class, () -> TestSockets.scalar(w, outsideBuffer));
                // A payload of another type no longer compiles; a slot without one is refused.
                PendingWrite noPayload = PendingWrite.detached().destination(to);
                assertThrows(IllegalArgumentException.class, () -> TestSockets.scalar(w, noPayload));
                assertThrows(IllegalArgumentException.class, () -> TestSockets.vector(w, i -> outside, 0));
                assertThrows(IllegalArgumentException.class, () -> TestSockets.vector(w, i -> outside, 1025));
            } finally {
                Sockets.close(fd);
            }
        }
    }

    @Test
    void payloadFromAClosedArenaIsAnIllegalStateNotACrash() throws Exception {
        int fd = Sockets.openDatagram(AF_INET);
        try (Arena arena = Arena.ofConfined()) {
            LinuxDatagramWriter w = new LinuxDatagramWriter(fd, AF_INET, new SendScratch(arena));
            Arena gone = Arena.ofConfined();
            MemorySegment payload = gone.allocate(16);
            gone.close();
            PendingWrite write = TestSockets.write(payload, 16, new InetSocketAddress("127.0.0.1", 9));
            assertThrows(IllegalStateException.class, () -> TestSockets.scalar(w, write));
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void writerToAnIpv6DestinationOnAnIpv4SocketGetsEafnosupportForThatDatagram() throws Exception {
        int fd = Sockets.openDatagram(AF_INET);
        try (Arena arena = Arena.ofConfined()) {
            LinuxDatagramWriter w = new LinuxDatagramWriter(fd, AF_INET, new SendScratch(arena));
            PendingWrite write = TestSockets.write(arena.allocate(4), 4, new InetSocketAddress(TestSockets.loopback6(), 9));
            assertEquals(-Errno.EAFNOSUPPORT, TestSockets.scalar(w, write));
        } finally {
            Sockets.close(fd);
        }
    }

    @Test
    void heapSegmentsAreRefusedAsOptionValues() throws Exception {
        int fd = Sockets.openDatagram(AF_INET6);
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> Sockets.setOption(fd, 0, 1, MemorySegment.ofArray(new byte[4])));
        } finally {
            Sockets.close(fd);
        }
    }
}
