package dev.salvo.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The C sender's spread options, run for real against JDK sockets on loopback. */
class FeederSpreadTest {

    @Test
    void portsSendsEachDatagramOfABatchToTheNextPortInTurn() throws Exception {
        assumeTrue(Gcc.present(), "no gcc on this machine");
        List<DatagramChannel> sockets = consecutive(4);
        try {
            int first = port(sockets.getFirst());
            // 256 datagrams = four sendmmsg calls of 64, each spread over the 4 ports.
            String result = runSender("sendmmsg,ports=4", first, 64, 256);

            assertTrue(result.contains("\"sent_total\":256"), result);
            for (DatagramChannel socket : sockets) {
                assertEquals(64, drain(socket, 64).size(), "port " + port(socket));
            }
        } finally {
            for (DatagramChannel socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void sourcesSendsEachCallFromTheNextOfKSockets() throws Exception {
        assumeTrue(Gcc.present(), "no gcc on this machine");
        try (DatagramChannel receiver = open(0)) {
            // 1000 B: 64 segments per GSO call; 16 calls, one from each of the 16 sockets.
            String result = runSender("gso,sources=16", port(receiver), 1000, 16 * 64);

            assertTrue(result.contains("\"sent_total\":1024"), result);
            List<SocketAddress> senders = drain(receiver, 1024);
            Set<SocketAddress> distinct = new HashSet<>(senders);
            assertEquals(1024, senders.size());
            assertEquals(16, distinct.size(), "16 source ports: " + distinct);
        }
    }

    private static String runSender(String mode, int port, int payload, long max) throws Exception {
        String program = NativePrograms.inDefaultCache().program("salvo_bench_send").orElseThrow().toString();
        Process p = new ProcessBuilder(program, mode, "127.0.0.1", Integer.toString(port), Integer.toString(payload),
                "0", "5000", "5000", Long.toString(max)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the sender stops at its datagram limit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static List<SocketAddress> drain(DatagramChannel socket, int expected) throws IOException, InterruptedException {
        List<SocketAddress> from = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (from.size() < expected && System.nanoTime() < deadline) {
            buffer.clear();
            SocketAddress sender = socket.receive(buffer);
            if (sender == null) {
                Thread.sleep(5);
            } else {
                from.add(sender);
            }
        }
        return from;
    }

    private static List<DatagramChannel> consecutive(int count) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(10_000, 32_000);
            List<DatagramChannel> opened = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    opened.add(open(first + i));
                }
                return opened;
            } catch (IOException taken) {
                for (DatagramChannel c : opened) {
                    c.close();
                }
            }
        }
        throw new IOException("no free run of " + count + " ports");
    }

    private static DatagramChannel open(int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }
}
