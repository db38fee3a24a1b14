package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code salvo echo} sends every datagram back to its sender, as a plain JDK client sees it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoCommandTest {
    private static InetSocketAddress address(String hostPort) throws Exception {
        return HostPort.parse(hostPort, false);
    }

    /** Sends each payload and reads its echo before the next, checking bytes and sender. */
    private static void pingPong(DatagramChannel client, InetSocketAddress server, byte[][] payloads) throws Exception {
        client.socket().setSoTimeout(5000);
        for (byte[] payload : payloads) {
            client.send(ByteBuffer.wrap(payload), server);
            DatagramPacket reply = new DatagramPacket(new byte[65_535], 65_535);
            client.socket().receive(reply);
            assertEquals(server, reply.getSocketAddress());
            byte[] got = java.util.Arrays.copyOf(reply.getData(), reply.getLength());
            assertArrayEquals(payload, got);
        }
    }

    private static byte[][] payloads(int n, long seed) {
        Random random = new Random(seed);
        byte[][] p = new byte[n][];
        for (int i = 0; i < n; i++) {
            // Include the edges: an empty datagram and the largest one.
            int size = i == 0 ? 0 : i == 1 ? 65_507 : random.nextInt(2000);
            p[i] = new byte[size];
            random.nextBytes(p[i]);
        }
        return p;
    }

    @Test
    void everyDatagramComesBackIntactAndIsCounted() throws Exception {
        CliRun echo = CliRun.start("echo", "--bind", "127.0.0.1:0");
        InetSocketAddress server = address(echo.awaitLine("listening on (.*)"));
        byte[][] payloads = payloads(200, 1);
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            pingPong(client, server, payloads);
        }
        ((EchoCommand) echo.command()).requestStop();

        assertEquals(0, echo.exitCode(), echo.err());
        assertEquals(200, echo.number("echoed"));
        assertEquals(0, echo.number("dropped"));
        assertEquals(0, echo.number("failed"));
        assertEquals("interrupted", echo.value("stopped"));
    }

    @Test
    void echoWorksOverIpv6() throws Exception {
        CliRun echo = CliRun.start("echo", "--bind", "[::1]:0");
        InetSocketAddress server = address(echo.awaitLine("listening on (.*)"));
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            client.bind(new InetSocketAddress("::1", 0));
            pingPong(client, server, payloads(20, 2));
        }
        ((EchoCommand) echo.command()).requestStop();
        assertEquals(0, echo.exitCode(), echo.err());
        assertEquals(20, echo.number("echoed"));
    }

    @Test
    void aBurstIsEchoedCompletelyWithoutMixingPayloads() throws Exception {
        CliRun echo = CliRun.start("echo", "--bind", "127.0.0.1:0");
        InetSocketAddress server = address(echo.awaitLine("listening on (.*)"));
        int n = 500;
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.socket().setSoTimeout(5000);
            // Send the whole burst before reading: replies pile up in the server's ring and queue.
            for (int i = 0; i < n; i++) {
                client.send(numbered(i), server);
            }
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                client.socket().receive(reply);
                ByteBuffer b = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
                int k = b.getInt();
                assertEquals(numbered(k), b.rewind(), "reply " + i + " is not an intact copy of datagram " + k);
                seen[k] = true;
            }
            for (int i = 0; i < n; i++) {
                assertTrue(seen[i], "datagram " + i + " never came back");
            }
        }
        ((EchoCommand) echo.command()).requestStop();
        assertEquals(0, echo.exitCode(), echo.err());
        assertEquals(n, echo.number("echoed"));
    }

    /** Datagram {@code i}: its number, then {@code i % 997 + 1} bytes derived from it, so sizes and contents differ. */
    private static ByteBuffer numbered(int i) {
        ByteBuffer b = ByteBuffer.allocate(4 + i % 997 + 1);
        b.putInt(i);
        while (b.hasRemaining()) {
            b.put((byte) (i * 31 + b.position()));
        }
        return b.flip();
    }

    @Test
    void echoEndsByItselfAfterItsDuration() {
        CliRun echo = CliRun.run("echo", "--bind", "127.0.0.1:0", "--duration", "0.3");
        assertEquals(0, echo.exitCode(), echo.err());
        assertTrue(echo.out().startsWith("listening on 127.0.0.1:"), echo.out());
        assertEquals(0, echo.number("echoed"));
        assertTrue(!echo.out().contains("stopped:"), echo.out());
    }
}
