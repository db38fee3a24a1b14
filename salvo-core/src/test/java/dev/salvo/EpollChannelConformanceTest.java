package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

/** The conformance suite on the Linux epoll transport, plus what only it offers. */
class EpollChannelConformanceTest extends ChannelConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.EPOLL;
    }

    @Test
    void groupReportsTheEpollTransport() {
        assertEquals("epoll", group.transportName());
    }

    @Test
    void unixDomainPathDatagramsRoundTrip() throws Exception {
        Path dir = Files.createTempDirectory("salvo-unix");
        UnixDomainSocketAddress server = UnixDomainSocketAddress.of(dir.resolve("rx.sock"));
        UnixDomainSocketAddress client = UnixDomainSocketAddress.of(dir.resolve("tx.sock"));
        try (Receiver rx = new Receiver(group, server)) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(client);
            await(tx.writeAndFlush(OutboundDatagram.of(text("over unix"), server)));
            ReceivedDatagram d = rx.take();
            assertEquals("over unix", text(d));
            assertEquals(client, d.sender());
            tx.close().join();
        } finally {
            Files.deleteIfExists(server.getPath());
            Files.deleteIfExists(client.getPath());
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void unixDomainAbstractDatagramsRoundTripIncludingEmpty() throws Exception {
        AbstractUnixAddress server = AbstractUnixAddress.of("salvo-test-" + ProcessHandle.current().pid());
        try (Receiver rx = new Receiver(group, server)) {
            DatagramChannel tx = DatagramChannel.builder(group).open(StandardProtocolFamily.UNIX);
            await(tx.writeAndFlush(OutboundDatagram.of(text("abstract"), server)));
            await(tx.writeAndFlush(OutboundDatagram.of(java.nio.ByteBuffer.allocate(0), server)));
            assertEquals("abstract", text(rx.take()));
            assertEquals(0, rx.take().payload().remaining());
        }
    }
}
