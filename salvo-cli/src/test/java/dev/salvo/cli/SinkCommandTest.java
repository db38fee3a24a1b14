package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code salvo sink}: its address first, a line per second, totals at the end, and its stop rules. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SinkCommandTest {
    @Test
    void printsItsAddressFirstThenOneLinePerSecondThenTotals() {
        CliRun sink = CliRun.run("sink", "--bind", "127.0.0.1:0", "--duration", "1.3");
        assertEquals(0, sink.exitCode(), sink.err());
        String[] lines = sink.out().split("\n");
        assertTrue(lines[0].matches("listening on 127\\.0\\.0\\.1:\\d+"), lines[0]);
        long perSecond = java.util.Arrays.stream(lines).filter(l -> l.startsWith("1s: ")).count();
        assertEquals(1, perSecond, sink.out());
        assertTrue(sink.out().contains("1s: 0 datagrams/s, 0 bytes/s, drops: "), sink.out());
        assertEquals(0, sink.number("received"));
        assertEquals(0, sink.number("bytes"));
        assertTrue(sink.value("drops").matches("n/a|0"), sink.out());
        // The first line already says what every later one and the total say: n/a only where the
        // transport cannot count drops, 0 from the start where it can.
        String firstLineDrops = java.util.Arrays.stream(lines).filter(l -> l.startsWith("1s: ")).findFirst()
                .orElseThrow().replaceFirst(".*drops: ", "");
        assertEquals(sink.value("drops"), firstLineDrops, sink.out());
        if (sink.value("transport").equals("epoll")) {
            assertEquals("0", firstLineDrops, sink.out());
        }
    }

    @Test
    void zeroDurationIsRejectedInOneSentenceWithTheNumberAsTyped() {
        CliRun sink = CliRun.run("sink", "--bind", "127.0.0.1:0", "--duration", "0");
        assertEquals(2, sink.exitCode());
        assertEquals("salvo sink: --duration must be more than 0 seconds (how long to listen), got 0.", sink.err().strip());
        assertEquals("", sink.out());
    }

    @Test
    void stopsOnceTheExpectedDatagramsArrived() throws Exception {
        CliRun sink = CliRun.start("sink", "--bind", "127.0.0.1:0", "--expect", "10", "--duration", "20");
        InetSocketAddress at = HostPort.parse(sink.awaitLine("listening on (.*)"), false);
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int i = 0; i < 10; i++) {
                client.send(ByteBuffer.allocate(100 + i), at);
            }
        }
        assertEquals(0, sink.exitCode(), sink.err());
        assertEquals(10, sink.number("received"));
        assertEquals(10 * 100 + 45, sink.number("bytes"));
        assertTrue(!sink.out().contains("stopped:"), "it stopped by itself");
    }

    @Test
    void stopsByItselfAfterABurstWhoseTailTheKernelDropped() throws Exception {
        // A 2,000-datagram burst into the smallest receive buffer: the kernel keeps one or two and drops
        // the rest, so no datagram arrives after the drops to trigger a read. The sink must still see
        // received + drops reach --expect (from the socket's exact drop counter) and stop long before
        // its --duration: the class's 60 s timeout fails the test if it waits out the 120 s.
        CliRun sink = CliRun.start("sink", "--bind", "127.0.0.1:0", "--rcvbuf", "1", "--expect", "2000",
                "--duration", "120");
        InetSocketAddress at = HostPort.parse(sink.awaitLine("listening on (.*)"), false);
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ByteBuffer payload = ByteBuffer.allocate(1200);
            for (int i = 0; i < 2000; i++) {
                client.send(payload.clear(), at);
            }
        }
        assertEquals(0, sink.exitCode(), sink.err());
        assumeTrue(sink.value("transport").equals("epoll"), "only the epoll transport counts kernel drops");
        long received = sink.number("received");
        long drops = sink.number("drops");
        assertTrue(drops > 0, "a 1-byte receive buffer drops most of the burst: " + sink.out());
        assertEquals(2000, received + drops, sink.out());
        assertTrue(!sink.out().contains("stopped:"), "it stopped by itself");
    }

    @Test
    void expectationNotMetWithinTheDurationExitsWithOne() {
        CliRun sink = CliRun.run("sink", "--bind", "127.0.0.1:0", "--expect", "5", "--duration", "0.3");
        assertEquals(1, sink.exitCode());
        assertTrue(sink.err().contains("expected 5 datagrams but 0 arrived"), sink.err());
        assertEquals(0, sink.number("received"));
    }

    @Test
    void interruptedSinkPrintsItsTotals() {
        CliRun sink = CliRun.start("sink", "--bind", "[::1]:0");
        assertTrue(sink.awaitLine("listening on (.*)").startsWith("[::1]:"));
        ((SinkCommand) sink.command()).requestStop();
        assertEquals(0, sink.exitCode(), sink.err());
        assertEquals("interrupted", sink.value("stopped"));
        assertEquals(0, sink.number("received"));
    }

    @Test
    void portInUseIsARuntimeFailureNotAUsageError() throws Exception {
        try (DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET)) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            CliRun sink = CliRun.run("sink", "--bind", "127.0.0.1:" + port, "--duration", "1");
            assertEquals(1, sink.exitCode());
            assertTrue(sink.err().startsWith("salvo sink: cannot listen on 127.0.0.1:" + port), sink.err());
        }
    }
}
