package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.IP_TOS;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static dev.salvo.transport.linux.LinuxConstants.SOL_UDP;
import static dev.salvo.transport.linux.LinuxConstants.SO_RXQ_OVFL;
import static dev.salvo.transport.linux.LinuxConstants.UDP_GRO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Encode-then-decode round trips for every control message type the transport uses. */
class CmsgRoundTripTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = arena.allocate(512, 8);
    private final ControlData out = new ControlData();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void arithmeticMatchesGlibcMacros() {
        assertEquals(16, Cmsg.len(0));
        assertEquals(17, Cmsg.len(1));
        assertEquals(24, Cmsg.space(1));
        assertEquals(24, Cmsg.space(8));
        assertEquals(32, Cmsg.space(9));
        assertEquals(40, Cmsg.space(20));
        assertEquals(8, Cmsg.align(5));
        assertEquals(16, Cmsg.dataOffset(0));
    }

    @Test
    void ipTosAsIntRoundTrips() {
        int len = Cmsg.putTos(buf, 0, 0xB9);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(0xB9, out.tos);
        assertEquals(1, out.ecn());
    }

    @Test
    void ipTosAsOneByteAsTheKernelDeliversItRoundTrips() {
        int len = Cmsg.putByte(buf, 0, SOL_IP, IP_TOS, 0x02);
        assertEquals(24, len);
        Cmsg.decode(buf, 0, Cmsg.len(1), out);
        assertEquals(2, out.tos);
        assertEquals(2, out.ecn());
    }

    @Test
    void ipv6TrafficClassRoundTrips() {
        int len = Cmsg.putTrafficClass(buf, 0, 0x2B);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(0x2B, out.trafficClass);
        assertEquals(-1, out.tos);
        assertEquals(3, out.ecn());
    }

    @Test
    void udpSegmentAsUint16RoundTrips() {
        int len = Cmsg.putSegmentSize(buf, 0, 65_000);
        assertEquals(Cmsg.len(2), Cmsg.dataLength(buf, 0) + Cmsg.HEADER_SIZE);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(65_000, out.segmentSize);
    }

    @Test
    void ipPktinfoRoundTrips() {
        int len = Cmsg.putInPktinfo(buf, 0, 7, 0x7F000002, 0x7F000003);
        assertEquals(32, len);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(AF_INET, out.pktinfoFamily);
        assertEquals(7, out.pktinfoIfindex);
        assertEquals(0x7F000002, out.pktinfoSpecDst);
        assertEquals(0x7F000003, out.pktinfoAddr4);
    }

    @Test
    void ipv6PktinfoRoundTrips() throws Exception {
        byte[] addr = InetAddress.getByName("2001:db8::42").getAddress();
        int len = Cmsg.putIn6Pktinfo(buf, 0, addr, 5);
        assertEquals(40, len);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(AF_INET6, out.pktinfoFamily);
        assertEquals(5, out.pktinfoIfindex);
        assertArrayEquals(addr, out.pktinfoAddr6);
        assertEquals(InetAddress.getByName("2001:db8::42"), out.pktinfoDestination());
    }

    @Test
    void udpGroRoundTrips() {
        int len = Cmsg.putInt(buf, 0, SOL_UDP, UDP_GRO, 1200);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(1200, out.groSegmentSize);
    }

    @Test
    void timestampNsRoundTripsAsNanosecondsSinceTheEpochAndIsAbsentAsZero() {
        int len = Cmsg.putInt(buf, 0, SOL_UDP, UDP_GRO, 1200);
        len += Cmsg.putTimestamp(buf, len, 1_764_590_000L, 123_456_789L);
        assertEquals(24 + 32, len, "a timespec takes CMSG_SPACE(16)");
        Cmsg.decode(buf, 0, len, out);
        assertEquals(1_764_590_000_123_456_789L, out.timestampNanos);
        assertEquals(1200, out.groSegmentSize, "decoded alongside");
        Cmsg.decode(buf, 0, 24, out);
        assertEquals(0, out.timestampNanos);
    }

    @Test
    void aMessageSalvoDoesNotReadIsSkippedAndTheOnesAfterItStillDecode() {
        // SO_RXQ_OVFL: a user may switch it on through a raw option; Salvo counts drops with SO_MEMINFO.
        int len = Cmsg.putInt(buf, 0, SOL_SOCKET, SO_RXQ_OVFL, 7);
        len += Cmsg.putInt(buf, len, SOL_UDP, UDP_GRO, 1400);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(1400, out.groSegmentSize);
        assertEquals(-1, out.ecn());
        assertEquals(0, out.pktinfoFamily);
    }

    @Test
    void severalMessagesInOneBufferAllDecodeAndAbsentOnesStayAbsent() {
        int len = 0;
        len += Cmsg.putTos(buf, len, 0x01);
        len += Cmsg.putSegmentSize(buf, len, 1200);
        len += Cmsg.putInPktinfo(buf, len, 0, 0x7F000001, 0);
        len += Cmsg.putInt(buf, len, SOL_UDP, UDP_GRO, 1400);
        assertEquals(24 + 24 + 32 + 24, len);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(1, out.tos);
        assertEquals(1200, out.segmentSize);
        assertEquals(0x7F000001, out.pktinfoSpecDst);
        assertEquals(1400, out.groSegmentSize);
        assertEquals(-1, out.trafficClass);

        Cmsg.decode(buf, 0, 0, out);
        assertEquals(-1, out.ecn());
        assertEquals(0, out.pktinfoFamily);
    }

    @Test
    void aMalformedLengthEndsTheWalkInsteadOfReadingPastTheBuffer() {
        int len = Cmsg.putTos(buf, 0, 3);
        buf.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 4096L);
        Cmsg.decode(buf, 0, len, out);
        assertEquals(-1, out.tos);
    }
}
