package dev.salvo.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.Ecn;
import dev.salvo.EventLoopGroup;
import dev.salvo.OutboundDatagram;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ECN codepoints and packet info through the public API on the epoll transport. */
class EcnAndPacketInfoTest {
    /** Which families the sender and receiver use. */
    enum Path {
        IPV4("127.0.0.1", "127.0.0.1"),
        IPV6("::1", "::1"),
        /** A dual-stack IPv6 sender (bound to ::) sending to an IPv4 receiver: v4-mapped on the wire of the API. */
        V4_MAPPED("::", "127.0.0.1");

        final String sender;
        final String receiver;

        Path(String sender, String receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }
    }

    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = EventLoopGroup.create(1, transport());
    }

    /** @return the transport under test; a subclass runs the same tests on another */
    TransportType transport() {
        return TransportType.EPOLL;
    }

    @AfterEach
    void stop() {
        group.close();
    }

    private static InetSocketAddress at(String host) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), 0);
    }

    /** The receiver's address as the sender addresses it (the IPv4 loopback for the mapped path). */
    private static SocketAddress target(Peer rx, Path path) throws Exception {
        int port = ((InetSocketAddress) rx.address()).getPort();
        return new InetSocketAddress(InetAddress.getByName(path.receiver), port);
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void everyCodepointRoundTripsThroughTheScalarPath(Path path) throws Exception {
        try (Peer rx = new Peer(group, at(path.receiver), Map.of(ChannelOption.RECEIVE_ECN, true))) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at(path.sender));
            SocketAddress to = target(rx, path);
            for (Ecn ecn : Ecn.values()) {
                tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {(byte) ecn.bits()}), to).withEcn(ecn))
                        .get(10, TimeUnit.SECONDS);
                ReceivedDatagram d = rx.take();
                assertEquals(ecn, d.ecn(), "sent " + ecn);
                assertArrayEquals(new byte[] {(byte) ecn.bits()}, d.bytes());
            }
            assertEquals(0, tx.offloadStats().ecnFallbacks());
            tx.close().join();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void everyCodepointRoundTripsThroughTheVectorPathIncludingCoalescedRunsAndGro(Path path) throws Exception {
        for (boolean gro : new boolean[] {false, true}) {
            try (Peer rx = new Peer(group, at(path.receiver),
                    Map.of(ChannelOption.RECEIVE_ECN, true, ChannelOption.UDP_GRO, gro))) {
                DatagramChannel tx = DatagramChannel.builder(group).bind(at(path.sender));
                SocketAddress to = target(rx, path);
                // Runs of three equal datagrams per codepoint (coalesced by automatic GSO), then alternating ones.
                Ecn[] order = new Ecn[20];
                for (int i = 0; i < 12; i++) {
                    order[i] = Ecn.values()[i / 3];
                }
                for (int i = 12; i < 20; i++) {
                    order[i] = Ecn.values()[i % 4];
                }
                CompletableFuture<Void> done = new CompletableFuture<>();
                tx.eventLoop().execute(() -> {
                    for (int i = 0; i < order.length; i++) {
                        ByteBuffer b = ByteBuffer.allocate(100);
                        b.put(0, (byte) i);
                        tx.write(new OutboundDatagram(b, to, order[i], 0, null),
                                i == order.length - 1 ? failure -> done.complete(null) : null);
                    }
                    tx.flush();
                });
                done.get(10, TimeUnit.SECONDS);
                List<ReceivedDatagram> got = rx.take(order.length);
                for (int i = 0; i < order.length; i++) {
                    assertEquals(i, got.get(i).bytes()[0], "order");
                    assertEquals(order[i], got.get(i).ecn(), "datagram " + i + (gro ? " (GRO)" : ""));
                }
                tx.close().join();
            }
        }
    }

    @Test
    void packetInfoReportsWhichLoopbackAddressAWildcardSocketWasReachedAt() throws Exception {
        try (Peer rx = new Peer(group, at("0.0.0.0"), Map.of(ChannelOption.RECEIVE_PACKET_INFO, true))) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at("127.0.0.1"));
            int port = ((InetSocketAddress) rx.address()).getPort();
            for (String dst : new String[] {"127.0.0.1", "127.0.0.2"}) {
                InetAddress a = InetAddress.getByName(dst);
                tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(dst.getBytes()), new InetSocketAddress(a, port)))
                        .get(10, TimeUnit.SECONDS);
                ReceivedDatagram d = rx.take();
                assertEquals(a, d.destination(), "sent to " + dst);
            }
            tx.close().join();
        }
    }

    @Test
    void packetInfoReportsTheIpv6DestinationOnAWildcardSocket() throws Exception {
        try (Peer rx = new Peer(group, at("::"), Map.of(ChannelOption.RECEIVE_PACKET_INFO, true))) {
            DatagramChannel tx6 = DatagramChannel.builder(group).bind(at("::1"));
            int port = ((InetSocketAddress) rx.address()).getPort();
            tx6.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {6}),
                    new InetSocketAddress(InetAddress.getByName("::1"), port))).get(10, TimeUnit.SECONDS);
            assertEquals(InetAddress.getByName("::1"), rx.take().destination());
            // The same dual-stack socket reached over IPv4 reports the IPv4 address.
            DatagramChannel tx4 = DatagramChannel.builder(group).bind(at("127.0.0.1"));
            tx4.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {4}),
                    new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port))).get(10, TimeUnit.SECONDS);
            assertEquals(InetAddress.getByName("127.0.0.2"), rx.take().destination());
            tx6.close().join();
            tx4.close().join();
        }
    }

    @Test
    void packetInfoIsAbsentWhenNotAskedFor() throws Exception {
        try (Peer rx = new Peer(group, at("0.0.0.0"), Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at("127.0.0.1"));
            int port = ((InetSocketAddress) rx.address()).getPort();
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {1}),
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port))).get(10, TimeUnit.SECONDS);
            assertNull(rx.take().destination());
            tx.close().join();
        }
    }

    @Test
    void sourceAddressChosenPerDatagramIsTheSenderTheReceiverSees() throws Exception {
        try (Peer rx = new Peer(group, at("127.0.0.1"), Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at("0.0.0.0"));
            InetAddress second = InetAddress.getByName("127.0.0.2");
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {2}), rx.address()).withSource(second))
                    .get(10, TimeUnit.SECONDS);
            int port = ((InetSocketAddress) tx.localAddress()).getPort();
            assertEquals(new InetSocketAddress(second, port), rx.take().sender());
            // Several in one flush, alternating sources: each keeps its own.
            InetAddress first = InetAddress.getByName("127.0.0.1");
            CompletableFuture<Void> done = new CompletableFuture<>();
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 6; i++) {
                    tx.write(new OutboundDatagram(ByteBuffer.wrap(new byte[] {(byte) i}), rx.address(), null, 0,
                            i % 2 == 0 ? first : second), i == 5 ? failure -> done.complete(null) : null);
                }
                tx.flush();
            });
            done.get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(6);
            for (int i = 0; i < 6; i++) {
                assertEquals(new InetSocketAddress(i % 2 == 0 ? first : second, port), got.get(i).sender(), "datagram " + i);
            }
            tx.close().join();
        }
    }

    @Test
    void ipv6SourceAddressIsHonoured() throws Exception {
        try (Peer rx = new Peer(group, at("::1"), Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at("::"));
            InetAddress loop6 = InetAddress.getByName("::1");
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {9}), rx.address()).withSource(loop6))
                    .get(10, TimeUnit.SECONDS);
            int port = ((InetSocketAddress) tx.localAddress()).getPort();
            assertEquals(new InetSocketAddress(loop6, port), rx.take().sender());
            tx.close().join();
        }
    }
}
