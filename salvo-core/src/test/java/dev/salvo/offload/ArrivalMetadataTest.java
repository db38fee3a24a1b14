package dev.salvo.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where and when datagrams arrived: packet info's interface index and the kernel's receive timestamp. */
class ArrivalMetadataTest {
    private static final long SECOND = 1_000_000_000L;
    @RegisterExtension
    final EpollGroup loop = new EpollGroup();
    private EventLoopGroup group;

    @BeforeEach
    void useTheLoop() {
        group = loop.get();
    }

    private static InetSocketAddress at(String host) throws Exception {
        return EpollGroup.any(host);
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * SECOND + now.getNano();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void theInterfaceIndexIsLoopbacksWithPacketInfoOn(String host) throws Exception {
        int lo = NetworkInterface.getByName("lo").getIndex();
        try (Peer rx = new Peer(group, at(host), Map.of(ChannelOption.RECEIVE_PACKET_INFO, true))) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at(host));
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {1}), rx.address())).get(10, TimeUnit.SECONDS);
            ReceivedDatagram d = rx.take();
            assertEquals(lo, d.interfaceIndex(), "arrived on lo");
            assertEquals(InetAddress.getByName(host), d.destination());
            tx.close().join();
        }
    }

    @Test
    void theInterfaceIndexIsZeroWithPacketInfoOff() throws Exception {
        try (Peer rx = new Peer(group, at("127.0.0.1"), Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at("127.0.0.1"));
            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {1}), rx.address())).get(10, TimeUnit.SECONDS);
            ReceivedDatagram d = rx.take();
            assertEquals(0, d.interfaceIndex());
            assertEquals(InboundDatagram.NO_TIMESTAMP, d.timestampNanos(), "timestamps are off by default");
            tx.close().join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void timestampsAreNonDecreasingAndWithinASecondOfTheWallClock(String host) throws Exception {
        try (Peer rx = new Peer(group, at(host), Map.of(ChannelOption.RECEIVE_TIMESTAMP, true))) {
            assertTrue(rx.channel.getOption(ChannelOption.RECEIVE_TIMESTAMP));
            DatagramChannel tx = DatagramChannel.builder(group).option(ChannelOption.GSO_AUTO, false).bind(at(host));
            int n = 200;
            long before = wallNanos();
            // Queued, then flushed at once: the receiver drains them in recvmmsg batches.
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int i = 0; i < n; i++) {
                    tx.write(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {(byte) i}), rx.address()));
                }
                tx.flush();
            }, tx.eventLoop()).get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(n);
            long after = wallNanos();
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long t = got.get(i).timestampNanos();
                assertTrue(t >= before - SECOND && t <= after + SECOND,
                        "datagram " + i + " stamped " + t + ", wall clock " + before + ".." + after);
                assertTrue(t >= previous, "datagram " + i + " stamped before the one ahead of it");
                previous = t;
            }
            tx.close().join();
        }
    }

    @Test
    void everySegmentOfAGroMessageCarriesTheMessagesTimestamp() throws Exception {
        Map<ChannelOption<Boolean>, Boolean> options = Map.of(ChannelOption.UDP_GRO, true,
                ChannelOption.RECEIVE_TIMESTAMP, true);
        try (Peer rx = new Peer(group, at("127.0.0.1"), options)) {
            DatagramChannel tx = DatagramChannel.builder(group).bind(at("127.0.0.1"));
            assumeTrue(tx.offloadStats().gso(), "the kernel has no UDP GSO here");
            long before = wallNanos();
            tx.writeAndFlush(new OutboundDatagram(ByteBuffer.allocate(10 * 1200), rx.address(), null, 1200, null))
                    .get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(10);
            long stamp = got.getFirst().timestampNanos();
            assertTrue(stamp >= before - SECOND && stamp <= wallNanos() + SECOND, "stamped " + stamp);
            for (ReceivedDatagram d : got) {
                assertEquals(1200, d.segmentSize(), "arrived as one GRO message");
                assertEquals(stamp, d.timestampNanos());
            }
            tx.close().join();
        }
    }

    @Test
    void theNioTransportRefusesTimestampsAndAChosenInterface() throws Exception {
        try (EventLoopGroup nio = EventLoopGroup.create(1, TransportType.NIO)) {
            DatagramChannel ch = DatagramChannel.builder(nio).bind(at("127.0.0.1"));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> ch.setOption(ChannelOption.RECEIVE_TIMESTAMP, true));
            assertTrue(e.getMessage().contains("RECEIVE_TIMESTAMP"), e.getMessage());
            // Nor can it choose the outgoing interface: that send fails alone.
            OutboundDatagram viaLo = OutboundDatagram.of(ByteBuffer.wrap(new byte[] {1}), ch.localAddress())
                    .withInterface(NetworkInterface.getByName("lo"));
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> ch.writeAndFlush(viaLo).get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof UnsupportedOperationException, failed.getCause().toString());
            ch.close().join();
        }
    }
}
