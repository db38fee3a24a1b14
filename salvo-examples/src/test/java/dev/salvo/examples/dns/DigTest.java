package dev.salvo.examples.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.examples.DebianTools;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Salvo responder, on one dual-stack socket, queried by BIND's {@code dig} over IPv4 and IPv6. */
@Timeout(120)
class DigTest {
    private static DnsServer server;
    private static String port;

    @BeforeAll
    static void start() throws Exception {
        DebianTools.require("dig", "bind9-dnsutils");
        server = new SalvoDnsServer(ZoneResponder.load(zone()), new InetSocketAddress(InetAddress.getByName("::"), 0));
        port = Integer.toString(server.localAddress().getPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Path zone() throws Exception {
        return Path.of(DigTest.class.getResource("/dns/example.test.zone").toURI());
    }

    static DebianTools.Result dig(String server, String port, String... query) throws Exception {
        String[] cmd = new String[7 + query.length];
        cmd[0] = "dig";
        cmd[1] = "@" + server;
        cmd[2] = "-p";
        cmd[3] = port;
        cmd[4] = "+tries=1";
        cmd[5] = "+time=3";
        cmd[6] = "+norecurse";
        System.arraycopy(query, 0, cmd, 7, query.length);
        return DebianTools.run(30, cmd);
    }

    @Test
    void answersAnAddressOverIpv4() throws Exception {
        DebianTools.Result r = dig("127.0.0.1", port, "www.example.test", "A");
        assertTrue(r.output().contains("status: NOERROR"), r.output());
        assertTrue(r.output().contains("flags: qr aa"), r.output());
        assertTrue(r.output().matches("(?s).*www\\.example\\.test\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.10.*"), r.output());
    }

    @Test
    void answersAnAddressOverIpv6() throws Exception {
        DebianTools.Result r = dig("::1", port, "www.example.test", "AAAA");
        assertTrue(r.output().contains("status: NOERROR"), r.output());
        assertTrue(r.output().matches("(?s).*IN\\s+AAAA\\s+2001:db8::10.*"), r.output());
    }

    @Test
    void followsACnameAndAnswersMx() throws Exception {
        assertTrue(dig("127.0.0.1", port, "alias.example.test", "A").output()
                .matches("(?s).*alias\\.example\\.test\\.\\s+300\\s+IN\\s+CNAME\\s+www\\.example\\.test\\..*"));
        assertTrue(dig("::1", port, "example.test", "MX").output()
                .matches("(?s).*IN\\s+MX\\s+10 mail\\.example\\.test\\..*"));
    }

    @Test
    void saysNxdomainWithTheSoaForAMissingName() throws Exception {
        for (String via : new String[] {"127.0.0.1", "::1"}) {
            DebianTools.Result r = dig(via, port, "nothing-here.example.test", "A");
            assertTrue(r.output().contains("status: NXDOMAIN"), r.output());
            assertTrue(r.output().matches("(?s).*AUTHORITY SECTION:\\s+example\\.test\\.\\s+300\\s+IN\\s+SOA.*"), r.output());
        }
    }

    @Test
    void refusesNamesOutsideTheZone() throws Exception {
        for (String via : new String[] {"127.0.0.1", "::1"}) {
            DebianTools.Result r = dig(via, port, "www.example.org", "A");
            assertTrue(r.output().contains("status: REFUSED"), r.output());
        }
    }

    @Test
    void repliesFromTheAddressTheQueryWasSentTo() throws Exception {
        // 127.0.0.2 is not the address the kernel would pick to reach dig (127.0.0.1): only packet info gets
        // the reply out from 127.0.0.2, and dig ignores a reply from any other source.
        DebianTools.Result r = dig("127.0.0.2", port, "www.example.test", "A");
        assertTrue(r.output().contains("status: NOERROR"), r.output());
        assertTrue(!r.output().contains("unexpected source"), r.output());
    }

    @Test
    void withoutPacketInfoTheReplyComesFromTheWrongAddress() throws Exception {
        // The control for the test above: the JDK baseline has no packet info, so dig rejects its reply.
        try (DnsServer jdk = new JdkDnsServer(ZoneResponder.load(zone()), new InetSocketAddress(InetAddress.getByName("::"), 0))) {
            DebianTools.Result r = dig("127.0.0.2", Integer.toString(jdk.localAddress().getPort()), "www.example.test", "A");
            assertTrue(r.output().contains("unexpected source") || r.output().contains("timed out"), r.output());
            assertEquals(1, jdk.answered());
        }
    }
}
