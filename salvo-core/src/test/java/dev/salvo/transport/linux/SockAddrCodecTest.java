package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.AF_UNIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.AbstractUnixAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SockAddrCodecTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = arena.allocate(Structs.SOCKADDR_STORAGE);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void ipv4RoundTripsWithPortInNetworkOrder() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.33"), 0x1234);
        assertEquals(16, SockAddr.encode(a, AF_INET, buf, 0));
        assertEquals(AF_INET, SockAddr.family(buf, 0));
        assertEquals(0x12, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2));
        assertEquals((byte) 192, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4));
        assertEquals(0xC0000221, SockAddr.inet4(buf, 0));
        assertEquals(0x1234, SockAddr.port(buf, 0));
        assertEquals(a, SockAddr.decode(buf, 0, 16));
    }

    @Test
    void ipv6RoundTripsWithScopeIdAndFlowInfo() throws Exception {
        byte[] ip = InetAddress.getByName("fe80::1").getAddress();
        InetSocketAddress a = new InetSocketAddress(Inet6Address.getByAddress(null, ip, 3), 443);
        assertEquals(28, SockAddr.encode(a, AF_INET6, buf, 0));
        assertEquals(3, SockAddr.scopeId(buf, 0));
        InetSocketAddress back = (InetSocketAddress) SockAddr.decode(buf, 0, 28);
        assertEquals(443, back.getPort());
        assertEquals(3, ((Inet6Address) back.getAddress()).getScopeId());
        assertEquals(a.getAddress(), back.getAddress());

        SockAddr.encodeInet6(buf, 0, ip, 9, 0xABCDE, 0);
        assertEquals(0xABCDE, SockAddr.flowInfo(buf, 0));
        assertEquals(0x00, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4));
        assertEquals(0x0A, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 5));
    }

    @Test
    void ipv4OnADualStackSocketBecomesV4MappedAndDecodesBackToInet4() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 53);
        assertEquals(28, SockAddr.encode(a, AF_INET6, buf, 0));
        assertEquals(AF_INET6, SockAddr.family(buf, 0));
        assertTrue(SockAddr.isInet4(buf, 0));
        assertEquals(0x7F000001, SockAddr.inet4(buf, 0));
        InetSocketAddress back = (InetSocketAddress) SockAddr.decode(buf, 0, 28);
        assertInstanceOf(Inet4Address.class, back.getAddress());
        assertEquals(a, back);
    }

    @Test
    void ipv6OnAnIpv4SocketIsRefusedWithEafnosupport() {
        InetSocketAddress a = new InetSocketAddress(TestSockets.loopback6(), 1);
        assertEquals(-Errno.EAFNOSUPPORT, SockAddr.encode(a, AF_INET, buf, 0));
        assertEquals(-Errno.EAFNOSUPPORT, SockAddr.encode(a, AF_UNIX, buf, 0));
        assertEquals(-Errno.EAFNOSUPPORT, SockAddr.encode(UnixDomainSocketAddress.of("/x"), AF_INET, buf, 0));
    }

    @Test
    void unresolvedAddressIsAnIllegalArgument() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SockAddr.encode(InetSocketAddress.createUnresolved("example.invalid", 1), AF_INET, buf, 0));
        assertTrue(e.getMessage().contains("unresolved"));
    }

    @Test
    void unixPathRoundTripsWithLengthIncludingTheNul() {
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of("/tmp/salvo.sock");
        int len = SockAddr.encode(a, AF_UNIX, buf, 0);
        assertEquals(2 + "/tmp/salvo.sock".length() + 1, len);
        assertEquals(a, SockAddr.decode(buf, 0, len));
    }

    @Test
    void unixPathOf108BytesIsRefusedNamingThe107ByteLimit() {
        UnixDomainSocketAddress ok = UnixDomainSocketAddress.of("/" + "a".repeat(106));
        assertEquals(2 + 107 + 1, SockAddr.encode(ok, AF_UNIX, buf, 0));
        UnixDomainSocketAddress tooLong = UnixDomainSocketAddress.of("/" + "a".repeat(107));
        var e = assertThrows(IllegalArgumentException.class, () -> SockAddr.encode(tooLong, AF_UNIX, buf, 0));
        assertTrue(e.getMessage().contains("107-byte limit"), e.getMessage());
    }

    @Test
    void abstractNameStartsWithNulAndRoundTrips() {
        AbstractUnixAddress a = AbstractUnixAddress.of("salvo-test");
        int len = SockAddr.encode(a, AF_UNIX, buf, 0);
        assertEquals(2 + 1 + 10, len);
        assertEquals(0, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2));
        assertEquals(a, SockAddr.decode(buf, 0, len));
    }

    @Test
    void unnamedUnixSocketDecodesToAnEmptyPath() {
        buf.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        assertEquals(UnixDomainSocketAddress.of(""), SockAddr.decode(buf, 0, 2));
    }

    @Test
    void abstractUnixAddressHasValueSemanticsAndAtSignToString() {
        AbstractUnixAddress a = AbstractUnixAddress.of("name");
        assertEquals(a, AbstractUnixAddress.ofBytes("name".getBytes()));
        assertEquals(a.hashCode(), AbstractUnixAddress.of("name").hashCode());
        assertNotEquals(a, AbstractUnixAddress.of("other"));
        assertFalse(a.equals(UnixDomainSocketAddress.of("name")));
        assertEquals("@name", a.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> AbstractUnixAddress.of("x".repeat(108)));
        assertTrue(e.getMessage().contains("107"));
    }

    @Test
    void unknownFamilyAndShortLengthsAreRefusedOnDecode() {
        buf.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 77);
        assertThrows(IllegalArgumentException.class, () -> SockAddr.decode(buf, 0, 16));
        buf.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        assertThrows(IllegalArgumentException.class, () -> SockAddr.decode(buf, 0, 16));
    }
}
