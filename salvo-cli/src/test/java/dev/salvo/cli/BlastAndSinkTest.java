package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code salvo blast} into {@code salvo sink} on loopback, both in-process: every datagram blast
 * says it sent is either received by the sink or counted as a kernel drop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlastAndSinkTest {
    private static CliRun sink(String bind, long expect) {
        CliRun sink = CliRun.start("sink", "--bind", bind, "--expect", Long.toString(expect), "--duration", "20");
        sink.awaitLine("listening on (.*)");
        return sink;
    }

    private static String target(CliRun sink) {
        return sink.awaitLine("listening on (.*)");
    }

    /**
     * Gives the sink time to read what is already in its socket buffer (or to end by itself), then
     * stops it as Ctrl-C would and waits for its report.
     */
    private static void finish(CliRun sink, int graceMillis) {
        for (int i = 0; i < graceMillis / 10 && !sink.ended(); i++) {
            CliRun.sleep(10);
        }
        if (!sink.ended()) {
            ((SinkCommand) sink.command()).requestStop();
        }
        sink.exitCode();
    }

    @Test
    void pacedBlastArrivesCompletelyAtTheSink() {
        CliRun sink = sink("127.0.0.1:0", 2000);
        CliRun blast = CliRun.run("blast", "--to", target(sink), "--size", "200", "--count", "2000", "--rate", "20000");

        assertEquals(0, blast.exitCode(), blast.err());
        assertEquals(2000, blast.number("sent"));
        assertEquals(0, blast.number("failed"));
        assertEquals(0, sink.exitCode(), sink.err());
        long drops = sink.value("drops").equals("n/a") ? 0 : sink.number("drops");
        assertEquals(2000, sink.number("received") + drops);
        assertEquals(200L * sink.number("received"), sink.number("bytes"));
        assertTrue(blast.value("rate").matches("\\d+ datagrams/s, \\d+\\.\\d\\d Gbit/s"), blast.value("rate"));
    }

    @Test
    void pacedBlastOverIpv6ArrivesCompletelyAtTheSink() {
        CliRun sink = sink("[::1]:0", 500);
        String to = target(sink);
        assertTrue(to.startsWith("[::1]:"), to);
        CliRun blast = CliRun.run("blast", "--to", to, "--size", "1200", "--count", "500", "--rate", "10000");

        assertEquals(0, blast.exitCode(), blast.err());
        assertEquals(500, blast.number("sent"));
        assertEquals(0, sink.exitCode(), sink.err());
        long drops = sink.value("drops").equals("n/a") ? 0 : sink.number("drops");
        assertEquals(500, sink.number("received") + drops);
    }

    /**
     * ICMP "port unreachable", which the kernel turns into ECONNREFUSED, is best effort: Linux
     * limits ICMP globally (net.ipv4.icmp_msgs_per_sec, shared with every other test on the
     * machine), so a refusal may go unreported. The refusal tests try up to three times.
     */
    private static final int ICMP_ATTEMPTS = 3;

    @Test
    void aNameWhoseFirstAddressRefusesIsBlastedAtItsOtherFamilyAndBothAreNamed() throws Exception {
        // localhost as most machines resolve it: 127.0.0.1 first, then ::1; the sink listens on ::1 only.
        HostPort.Resolver system = HostPort.resolver;
        HostPort.resolver = host -> host.equals("localhost")
                ? new java.net.InetAddress[] {java.net.InetAddress.getByName("127.0.0.1"), java.net.InetAddress.getByName("::1")}
                : system.resolve(host);
        try {
            for (int attempt = 1; ; attempt++) {
                CliRun sink = sink("[::1]:0", 500);
                String port = target(sink).replaceFirst(".*:", "");
                CliRun blast = CliRun.run("blast", "--to", "localhost:" + port, "--size", "100", "--count", "500",
                        "--rate", "5000");
                blast.exitCode();
                assertEquals("localhost is 127.0.0.1:" + port + ", [::1]:" + port
                        + "; the first is tried first, the next if it refuses", blast.value("resolved"));
                assertEquals("127.0.0.1:" + port, blast.value("target"), "the first address is tried first");
                if (!blast.out().contains("\nrefused: ") && attempt < ICMP_ATTEMPTS) {
                    ((SinkCommand) sink.command()).requestStop();
                    sink.exitCode();
                    continue; // the kernel did not report the refusal this time
                }
                assertEquals(0, blast.exitCode(), blast.out() + blast.err());
                assertTrue(blast.value("refused").startsWith("127.0.0.1:" + port
                        + " refused the datagrams (ECONNREFUSED: nothing listens there); trying [::1]:" + port), blast.out());
                assertTrue(blast.out().contains("\ntarget: [::1]:" + port + "\n"), blast.out());
                assertEquals(500, blast.number("sent"), blast.out());
                assertEquals(0, blast.number("failed"), blast.out());
                assertEquals(0, sink.exitCode(), sink.err());
                assertEquals(500, sink.number("received") + sink.number("drops"), sink.out());
                return;
            }
        } finally {
            HostPort.resolver = system;
        }
    }

    @Test
    void aRefusedTargetWithNoOtherAddressIsNamedAndTheSentCountIsExplained() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                port = ((java.net.InetSocketAddress) probe.getLocalAddress()).getPort();
            } // closed: nothing listens there now
            CliRun blast = CliRun.run("blast", "--to", "127.0.0.1:" + port, "--size", "100", "--count", "500",
                    "--rate", "5000");
            blast.exitCode();
            assertEquals("127.0.0.1:" + port, blast.value("target"));
            if (blast.err().isEmpty() && attempt < ICMP_ATTEMPTS) {
                continue; // the kernel did not report the refusal this time
            }
            assertTrue(blast.err().contains("nothing listens at 127.0.0.1:" + port
                    + " (ECONNREFUSED), so the datagrams counted as sent went nowhere"), blast.out() + blast.err());
            return;
        }
    }

    @Test
    void unpacedBlastIsFullyAccountedForAsReceivedPlusKernelDrops() {
        int count = 20_000;
        CliRun sink = sink("127.0.0.1:0", count);
        CliRun blast = CliRun.run("blast", "--to", target(sink), "--size", "100", "--count", Integer.toString(count));

        assertEquals(0, blast.exitCode(), blast.err());
        assertEquals(count, blast.number("sent"));
        finish(sink, 3000);
        long received = sink.number("received");
        assertTrue(received > 0, sink.out());
        if (sink.value("drops").equals("n/a")) {
            // This transport cannot count drops (java.nio): at least nothing arrived twice or from nowhere.
            assertTrue(received <= count, sink.out());
        } else {
            assertEquals(count, received + sink.number("drops"), sink.out());
        }
    }

    @Test
    void gsoIsRefusedClearlyOnNioAndDeliversEveryDatagramOnEpoll() {
        CliRun sink = sink("127.0.0.1:0", 1000);
        CliRun blast = CliRun.run("blast", "--to", target(sink), "--size", "1000", "--count", "1000",
                "--rate", "20000", "--gso");
        if (blast.exitCode() == 2) {
            assertTrue(blast.err().contains("--gso is unsupported by the nio transport"), blast.err());
            assertEquals("", blast.out(), "nothing may be sent when GSO is refused");
            ((SinkCommand) sink.command()).requestStop();
            assertEquals(0, sink.exitCode());
            assertEquals(0, sink.number("received"));
            return;
        }
        assertEquals(0, blast.exitCode(), blast.err());
        assertEquals("epoll", blast.value("transport"));
        assertEquals(1000, blast.number("sent"));
        assertEquals(0, sink.exitCode(), sink.err());
        assertEquals(1000, sink.number("received") + sink.number("drops"));
    }

    @Test
    void blastStopsAtItsDurationAndReportsWhatItSent() {
        CliRun sink = sink("127.0.0.1:0", 1_000_000);
        CliRun blast = CliRun.run("blast", "--to", target(sink), "--size", "64", "--count", "1000000",
                "--rate", "200", "--duration", "0.5");

        assertEquals(0, blast.exitCode(), blast.err());
        long sent = blast.number("sent");
        assertTrue(sent > 0 && sent < 1_000_000, blast.out());
        assertTrue(blast.value("stopped").startsWith("duration of 0.5 s reached after " + sent + " of 1000000"),
                blast.out());
        finish(sink, 500);
        assertEquals(sent, sink.number("received"), sink.out());
    }

    @Test
    void interruptedBlastPrintsItsPartialResults() {
        CliRun sink = sink("127.0.0.1:0", 1_000_000);
        CliRun blast = CliRun.start("blast", "--to", target(sink), "--size", "64", "--count", "1000000",
                "--rate", "1000");
        blast.awaitLine("target: (.*)");
        CliRun.sleep(300);
        ((BlastCommand) blast.command()).requestStop();

        assertEquals(0, blast.exitCode(), blast.err());
        long sent = blast.number("sent");
        assertTrue(sent > 0 && sent < 1_000_000, blast.out());
        assertTrue(blast.value("stopped").startsWith("interrupted after " + sent), blast.out());
        finish(sink, 500);
        assertEquals(sent, sink.number("received"), sink.out());
    }
}
