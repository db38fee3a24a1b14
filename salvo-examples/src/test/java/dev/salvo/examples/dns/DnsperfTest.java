package dev.salvo.examples.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.examples.DebianTools;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS-OARC's {@code dnsperf}, unthrottled for a bounded run, against the Salvo responder: every query is
 * answered (none lost). The same run against the JDK {@code DatagramChannel} responder is printed beside it
 * for comparison (no speed is asserted: the machine is shared).
 */
@Timeout(120)
class DnsperfTest {
    private static final int SECONDS = 3;

    @TempDir
    Path dir;

    /** What one dnsperf run reported. */
    record Run(long sent, long completed, long lost, double qps) {
        static Run parse(String out) {
            return new Run(number(out, "Queries sent:\\s+(\\d+)"), number(out, "Queries completed:\\s+(\\d+)"),
                    number(out, "Queries lost:\\s+(\\d+)"),
                    Double.parseDouble(find(out, "Queries per second:\\s+([0-9.]+)")));
        }

        private static long number(String out, String regex) {
            return Long.parseLong(find(out, regex));
        }

        private static String find(String out, String regex) {
            Matcher m = Pattern.compile(regex).matcher(out);
            if (!m.find()) {
                throw new AssertionError("no " + regex + " in dnsperf output:\n" + out);
            }
            return m.group(1);
        }
    }

    static Run dnsperf(Path queries, DnsServer server) throws Exception {
        DebianTools.Result r = DebianTools.run(SECONDS + 30, "dnsperf", "-s", "127.0.0.1", "-p",
                Integer.toString(server.localAddress().getPort()), "-d", queries.toString(), "-l",
                Integer.toString(SECONDS), "-c", "1", "-q", "100", "-t", "2");
        assertEquals(0, r.exit(), r.output());
        return Run.parse(r.output());
    }

    static Path queries(Path dir) throws Exception {
        Path file = dir.resolve("queries.txt");
        Files.writeString(file, String.join("\n", "www.example.test A", "www.example.test AAAA", "example.test MX",
                "nothing-here.example.test A", "alias.example.test A", "www.example.org A", "example.test SOA") + "\n");
        return file;
    }

    @Test
    void unthrottledDnsperfLosesNoQueries() throws Exception {
        DebianTools.require("dnsperf", "dnsperf");
        Path queries = queries(dir);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("::"), 0);
        Run salvo;
        try (DnsServer server = new SalvoDnsServer(ZoneResponder.load(DigTest.zone()), any)) {
            salvo = dnsperf(queries, server);
            assertTrue(salvo.sent() > 0, "dnsperf sent nothing");
            assertEquals(0, salvo.lost(), "queries lost: " + salvo);
            assertEquals(salvo.sent(), salvo.completed());
            assertTrue(server.answered() >= salvo.completed(), "answered " + server.answered() + " < " + salvo);
        }
        Run jdk;
        try (DnsServer server = new JdkDnsServer(ZoneResponder.load(DigTest.zone()), any)) {
            jdk = dnsperf(queries, server);
        }
        System.out.printf("dnsperf %ds unthrottled, 100 outstanding: salvo %.0f q/s (lost %d of %d), jdk %.0f q/s"
                + " (lost %d of %d)%n", SECONDS, salvo.qps(), salvo.lost(), salvo.sent(), jdk.qps(), jdk.lost(), jdk.sent());
    }
}
