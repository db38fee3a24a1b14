package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The conformance suite on the java.nio fallback, plus what the fallback must refuse clearly. */
class NioChannelConformanceTest extends ChannelConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.NIO;
    }

    @Test
    void groupReportsTheNioTransport() {
        assertEquals("nio", group.transportName());
    }

    @Test
    void unixDomainDatagramsAreRefusedClearly() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> DatagramChannel.builder(group).bind(UnixDomainSocketAddress.of(Path.of("/tmp/salvo-nio-test.sock"))));
        assertTrue(e.getMessage().contains("unix"), e.getMessage());
        assertThrows(UnsupportedOperationException.class,
                () -> DatagramChannel.builder(group).open(StandardProtocolFamily.UNIX));
    }

    @Test
    void offloadsAndMetadataAreRefusedClearly() throws Exception {
        DatagramChannel ch = sender();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> ch.setOption(ChannelOption.UDP_GRO, true));
        assertTrue(e.getMessage().contains("UDP_GRO"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> ch.setOption(ChannelOption.RECEIVE_ECN, true));
        assertThrows(UnsupportedOperationException.class,
                () -> ch.setOption(ChannelOption.RECEIVE_PACKET_INFO, true));
        Throwable gso = failureOf(ch.writeAndFlush(
                OutboundDatagram.of(text("segmented"), V4_ANY_PORT).withSegmentSize(4)));
        assertTrue(gso instanceof UnsupportedOperationException && gso.getMessage().contains("GSO"), gso.toString());
        Throwable ecn = failureOf(ch.writeAndFlush(OutboundDatagram.of(text("ecn"), V4_ANY_PORT).withEcn(Ecn.ECT_0)));
        assertTrue(ecn instanceof UnsupportedOperationException, ecn.toString());
    }

    @Test
    void systemPropertySelectsTheFallback() {
        String old = System.getProperty("salvo.transport");
        System.setProperty("salvo.transport", "nio");
        try (EventLoopGroup g = EventLoopGroup.create(1)) {
            assertEquals("nio", g.transportName());
        } finally {
            if (old == null) {
                System.clearProperty("salvo.transport");
            } else {
                System.setProperty("salvo.transport", old);
            }
        }
    }
}
