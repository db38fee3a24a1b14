package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/** HOST:PORT parsing and printing, and which targets count as this machine. No name lookups. */
class BlastAddressTest {
    @Test
    void ipv4AndBracketedIpv6Parse() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9000), HostPort.parse("127.0.0.1:9000", false));
        InetSocketAddress v6 = HostPort.parse("[::1]:9000", false);
        assertTrue(v6.getAddress() instanceof Inet6Address);
        assertTrue(v6.getAddress().isLoopbackAddress());
        assertEquals(9000, v6.getPort());
    }

    @Test
    void portZeroIsOnlyForBinding() throws Exception {
        assertEquals(0, HostPort.parse("127.0.0.1:0", true).getPort());
        assertThrows(HostPort.BadAddressException.class, () -> HostPort.parse("127.0.0.1:0", false));
    }

    @Test
    void ipv6WithoutBracketsIsExplained() {
        var e = assertThrows(HostPort.BadAddressException.class, () -> HostPort.parse("::1:9000", false));
        assertTrue(e.getMessage().contains("[::1]:9000"), e.getMessage());
    }

    @Test
    void addressesPrintAsTheyAreTyped() throws Exception {
        assertEquals("127.0.0.1:9000", HostPort.format(new InetSocketAddress("127.0.0.1", 9000)));
        assertEquals("[::1]:9000", HostPort.format(new InetSocketAddress("::1", 9000)));
        assertEquals("[::]:53", HostPort.format(new InetSocketAddress("::", 53)));
        assertEquals("[2001:db8::1]:1", HostPort.format(new InetSocketAddress("2001:DB8:0:0:0:0:0:1", 1)));
    }

    @Test
    void ipv6CompressionFollowsRfc5952() throws Exception {
        // The longest run of zeros is compressed, the first of equal runs, and a lone zero never.
        assertEquals("1:0:0:1::1", compress("1:0:0:1:0:0:0:1"));
        assertEquals("1::1:0:0:1", compress("1:0:0:0:1:0:0:1"));
        assertEquals("1::2:0:0:3", compress("1:0:0:0:2:0:0:3"));
        assertEquals("2001:db8:0:1:1:1:1:1", compress("2001:db8:0:1:1:1:1:1"));
        assertEquals("::", compress("::"));
    }

    private static String compress(String literal) throws Exception {
        return HostPort.compress((Inet6Address) InetAddress.getByName(literal));
    }

    @Test
    void loopbackAndOwnInterfaceAddressesAreLocal() throws Exception {
        assertTrue(LocalTargets.isLocal(InetAddress.getByName("127.0.0.1")));
        assertTrue(LocalTargets.isLocal(InetAddress.getByName("127.8.9.10")));
        assertTrue(LocalTargets.isLocal(InetAddress.getByName("::1")));
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress own : nif.inetAddresses().toList()) {
                assertTrue(LocalTargets.isLocal(own), own + " on " + nif.getName());
            }
        }
    }

    @Test
    void documentationAndMulticastAddressesAreRemote() throws Exception {
        assertFalse(LocalTargets.isLocal(InetAddress.getByName("192.0.2.1")));
        assertFalse(LocalTargets.isLocal(InetAddress.getByName("2001:db8::1")));
        assertFalse(LocalTargets.isLocal(InetAddress.getByName("239.1.2.3")));
        assertFalse(LocalTargets.isLocal(InetAddress.getByName("255.255.255.255")));
    }
}
