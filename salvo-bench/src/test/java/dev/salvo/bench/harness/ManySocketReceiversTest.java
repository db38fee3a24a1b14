package dev.salvo.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.TransportType;
import dev.salvo.bench.peer.JdkReceiver;
import dev.salvo.bench.peer.NettyReceiver;
import dev.salvo.bench.peer.SalvoReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The receivers' many-sockets and reuse-port shapes, fed from this JVM on loopback. */
class ManySocketReceiversTest {
    private static final int SOCKETS = 8;
    private static final int EACH = 10;

    @Test
    void salvoOnEpollCountsEverySocketOfOneLoop() throws Exception {
        try (SalvoReceiver receiver = new SalvoReceiver(false, 64, false, TransportType.EPOLL, 1)) {
            assertEveryPortIsCounted(receiver, true);
        }
    }

    @Test
    void salvoOnIoUringCountsEverySocketOfOneLoop() throws Exception {
        try (SalvoReceiver receiver = new SalvoReceiver(false, 64, false, TransportType.IO_URING, 1)) {
            assertEveryPortIsCounted(receiver, true);
        }
    }

    @Test
    void nettyOnEpollAndIoUringCountsEverySocketOfOneLoop() throws Exception {
        for (NettyReceiver.Variant variant : List.of(NettyReceiver.Variant.DEFAULT, NettyReceiver.Variant.IO_URING)) {
            try (NettyReceiver receiver = new NettyReceiver(variant)) {
                assertEveryPortIsCounted(receiver, false);
            }
        }
    }

    @Test
    void aOneSocketReceiverRefusesManySockets() {
        JdkReceiver receiver = new JdkReceiver(); // never opened, so nothing to close
        assertThrows(UnsupportedOperationException.class, () -> receiver.openSockets(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000), 2, 64));
    }

    @Test
    void aReusePortReceiverKeepsEachSenderOnOneChannelAndCountsTheSumOfAll() throws Exception {
        try (SalvoReceiver receiver = new SalvoReceiver(false, 64, false, TransportType.EPOLL, 2)) {
            InetSocketAddress bound = receiver.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            List<DatagramChannel> senders = new ArrayList<>();
            try {
                // 32 source ports: the chance the kernel's hash puts them all on one channel is 2^-31.
                for (int i = 0; i < 32; i++) {
                    DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET);
                    senders.add(sender);
                    for (int k = 0; k < EACH; k++) {
                        sender.send(ByteBuffer.allocate(64), bound);
                    }
                }
                awaitCount(receiver, 32 * EACH);
            } finally {
                for (DatagramChannel sender : senders) {
                    sender.close();
                }
            }
            long[] split = receiver.receivedPerSocket();
            assertEquals(2, split.length);
            assertEquals(32 * EACH, split[0] + split[1]);
            for (long channel : split) {
                assertTrue(channel > 0, "both channels got senders: " + Arrays.toString(split));
                assertEquals(0, channel % EACH, "a sender's datagrams all land on one channel: " + Arrays.toString(split));
            }
        }
    }

    private static void assertEveryPortIsCounted(JavaReceiver receiver, boolean perSocket) throws Exception {
        int first = PortRange.bind(receiver, SOCKETS, 64);
        try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            for (int k = 0; k < EACH; k++) {
                for (int i = 0; i < SOCKETS; i++) {
                    sender.send(ByteBuffer.allocate(64),
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), first + i));
                }
            }
        }
        awaitCount(receiver, SOCKETS * EACH);
        assertEquals(SOCKETS * EACH, receiver.received());
        if (perSocket) {
            long[] expected = new long[SOCKETS];
            Arrays.fill(expected, EACH);
            assertArrayEquals(expected, receiver.receivedPerSocket());
        }
    }

    private static void awaitCount(JavaReceiver receiver, long count) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (receiver.received() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        if (receiver.received() < count) {
            throw new IOException("only " + receiver.received() + " of " + count + " datagrams were counted");
        }
    }
}
