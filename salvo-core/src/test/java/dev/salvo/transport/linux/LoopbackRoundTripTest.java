package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real datagrams over loopback for every address kind: IPv4, IPv6, unix path and abstract
 * names, through sendmsg/recvmsg and through sendmmsg/recvmmsg in batches of 64.
 */
class LoopbackRoundTripTest {

    enum Kind { V4, V6, UNIX_PATH, UNIX_ABSTRACT }

    /** A bound receiver and a bound sender of one kind. */
    record Pair(int family, int receiver, int sender, SocketAddress receiverAddress, SocketAddress senderAddress)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            Sockets.closeQuietly(receiver);
            Sockets.closeQuietly(sender);
            for (SocketAddress a : List.of(receiverAddress, senderAddress)) {
                if (a instanceof UnixDomainSocketAddress u) {
                    Files.deleteIfExists(u.getPath());
                }
            }
        }
    }

    static Pair open(Kind kind) throws Exception {
        String unique = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return switch (kind) {
            case V4 -> pair(AF_INET, TestSockets.V4_ANY_PORT, TestSockets.V4_ANY_PORT);
            case V6 -> pair(AF_INET6, TestSockets.V6_ANY_PORT, TestSockets.V6_ANY_PORT);
            case UNIX_PATH -> pair(AF_UNIX, UnixDomainSocketAddress.of(TestSockets.tempSocketPath("r.sock")),
                    UnixDomainSocketAddress.of(TestSockets.tempSocketPath("s.sock")));
            case UNIX_ABSTRACT -> pair(AF_UNIX, AbstractUnixAddress.of("salvo-r-" + unique),
                    AbstractUnixAddress.of("salvo-s-" + unique));
        };
    }

    private static Pair pair(int family, SocketAddress r, SocketAddress s) throws NativeIOException {
        int receiver = TestSockets.bound(family, r);
        int sender = TestSockets.bound(family, s);
        return new Pair(family, receiver, sender, Sockets.localAddress(receiver), Sockets.localAddress(sender));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void boundAddressReadsBackAsTheAddressKindThatWasBound(Kind kind) throws Exception {
        try (Pair p = open(kind)) {
            switch (kind) {
                case V4, V6 -> assertTrue(((java.net.InetSocketAddress) p.receiverAddress()).getPort() > 0);
                case UNIX_PATH -> assertTrue(p.receiverAddress() instanceof UnixDomainSocketAddress);
                case UNIX_ABSTRACT -> assertTrue(p.receiverAddress().toString().startsWith("@salvo-r-"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sendmsgAndRecvmsgCarryPayloadAndSenderIncludingAnEmptyDatagram(Kind kind) throws Exception {
        try (Pair p = open(kind)) {
            byte[] hello = "hello salvo".getBytes(StandardCharsets.UTF_8);
            assertEquals(hello.length, TestSockets.sendmsg(p.sender(), p.receiverAddress(), p.family(), hello));
            assertEquals(0, TestSockets.sendmsg(p.sender(), p.receiverAddress(), p.family(), new byte[0]));

            TestSockets.Received first = TestSockets.recvmsg(p.receiver(), 2048);
            assertNotNull(first, "no datagram arrived");
            assertArrayEquals(hello, first.payload());
            assertEquals(p.senderAddress(), first.sender());

            TestSockets.Received empty = TestSockets.recvmsg(p.receiver(), 2048);
            assertNotNull(empty, "the empty datagram did not arrive");
            assertEquals(0, empty.payload().length);
            assertEquals(p.senderAddress(), empty.sender());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sendmmsgAndRecvmmsgCarryABatchOf64WithSendersAndLengths(Kind kind) throws Exception {
        try (Pair p = open(kind); Arena arena = Arena.ofConfined()) {
            SendScratch scratch = new SendScratch(arena);
            LinuxDatagramWriter writer = new LinuxDatagramWriter(p.sender(), p.family(), scratch);
            TestSockets.ListBatch batch = new TestSockets.ListBatch();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] payload = new byte[i * 7]; // datagram 0 is empty
                for (int j = 0; j < payload.length; j++) {
                    payload[j] = (byte) (i + j);
                }
                sent.add(payload);
                batch.add(ByteBuffer.wrap(payload), 0, payload.length, p.receiverAddress());
            }
            // Unix datagram sockets queue only net.unix.max_dgram_qlen datagrams (10 by default), so
            // the batch goes out in parts while the receiver drains: a short count is a partial write.
            RecvBatch recv = new RecvBatch(arena, 64, 2048);
            int written = 0;
            int got = 0;
            for (int round = 0; round < 10_000 && got < 64; round++) {
                if (written < 64) {
                    int from = written;
                    int r = TestSockets.vector(writer, i -> batch.get(from + i), 64 - from);
                    assertTrue(r > 0 || r == -Errno.EAGAIN, "sendmmsg returned " + r);
                    written += Math.max(r, 0);
                }
                int n = recv.receive(p.receiver());
                if (n == -Errno.EAGAIN) {
                    Thread.sleep(1);
                    continue;
                }
                assertTrue(n > 0, "recvmmsg returned " + n);
                for (int i = 0; i < n; i++) {
                    byte[] expected = sent.get(got + i);
                    assertEquals(expected.length, recv.length(i), "length of datagram " + (got + i));
                    assertArrayEquals(expected, recv.payload(i).toArray(ValueLayout.JAVA_BYTE));
                    assertEquals(p.senderAddress(), recv.sender(i));
                }
                got += n;
            }
            if (p.family() != AF_UNIX) {
                assertEquals(64, written);
            }
            assertEquals(64, got);
        }
    }
}
