package dev.salvo.transport.linux;

import static dev.salvo.transport.linux.LinuxConstants.AF_INET;
import static dev.salvo.transport.linux.LinuxConstants.AF_INET6;
import static dev.salvo.transport.linux.LinuxConstants.IPV6_RECVTCLASS;
import static dev.salvo.transport.linux.LinuxConstants.IP_RECVTOS;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IP;
import static dev.salvo.transport.linux.LinuxConstants.SOL_IPV6;
import static dev.salvo.transport.linux.LinuxConstants.SOL_SOCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.channel.ChannelInternals;
import dev.salvo.Ecn;
import dev.salvo.EventLoopGroup;
import dev.salvo.OffloadStats;
import dev.salvo.OutboundDatagram;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offload behaviour of a whole channel that needs the socket underneath: a real kernel refusing GSO
 * at run time, and the full TOS byte (DSCP and ECN) as a raw receiver sees it.
 */
class ChannelOffloadTest {
    /** SOL_SOCKET option: no UDP checksums, which makes the kernel refuse GSO sends with EINVAL. */
    private static final int SO_NO_CHECK = 11;
    /** DSCP EF (46) in the upper six bits. */
    private static final int EF = 46 << 2;

    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = EventLoopGroup.create(1, TransportType.EPOLL);
    }

    @AfterEach
    void stop() {
        group.close();
    }

    private static int fdOf(DatagramChannel ch) throws Exception {
        return ((LinuxSocket) ChannelInternals.socketOf(ch)).fd();
    }

    @Test
    void kernelRefusingGsoMidLifeTurnsItOffCountsItAndLosesNothing() throws Exception {
        int rx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        try {
            InetSocketAddress to = (InetSocketAddress) Sockets.localAddress(rx);
            DatagramChannel tx = DatagramChannel.builder(group).bind(TestSockets.V4_ANY_PORT);
            assertTrue(tx.offloadStats().gso(), "GSO works on this kernel");
            Sockets.setInt(fdOf(tx), SOL_SOCKET, SO_NO_CHECK, 1);

            CompletableFuture<Void> done = new CompletableFuture<>();
            ByteBuffer payload = ByteBuffer.allocateDirect(1000);
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 10; i++) {
                    tx.write(payload, to);
                }
                tx.write(new OutboundDatagram(ByteBuffer.allocate(3000), to, null, 1000, null),
                        failure -> done.complete(null));
                tx.flush();
            });
            done.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 13; i++) {
                TestSockets.Received r = TestSockets.recvmsg(rx, 4096);
                assertNotNull(r, "datagram " + i);
                assertEquals(1000, r.payload().length);
            }
            OffloadStats stats = tx.offloadStats();
            assertEquals(1, stats.gsoFallbacks());
            assertFalse(stats.gso());
            assertFalse(stats.autoGso());
            assertFalse(tx.getOption(ChannelOption.GSO_AUTO));
            assertEquals(1, stats.softwareSplits(), "the explicit datagram was split in software");
            assertTrue(tx.isOpen());
            tx.close().join();
        } finally {
            Sockets.closeQuietly(rx);
        }
    }

    @Test
    void gsoFallbackIsAJfrEventAndCoalescingShowsInStats() throws Exception {
        int rx = TestSockets.bound(AF_INET, TestSockets.V4_ANY_PORT);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("salvo-offload", ".jfr");
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            recording.enable("dev.salvo.OffloadFallback");
            recording.start();
            InetSocketAddress to = (InetSocketAddress) Sockets.localAddress(rx);
            DatagramChannel tx = DatagramChannel.builder(group).bind(TestSockets.V4_ANY_PORT);
            assertTrue(tx.offloadStats().autoGso(), "automatic GSO works on this kernel");
            ByteBuffer payload = ByteBuffer.allocateDirect(1000);

            // First a coalesced send the kernel accepts, then GSO refused (no checksums) mid-life.
            CompletableFuture<Void> first = new CompletableFuture<>();
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 9; i++) {
                    tx.write(payload, to);
                }
                tx.write(payload, to, failure -> first.complete(null));
                tx.flush();
            });
            first.get(10, TimeUnit.SECONDS);
            Sockets.setInt(fdOf(tx), SOL_SOCKET, SO_NO_CHECK, 1);
            CompletableFuture<Void> second = new CompletableFuture<>();
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 9; i++) {
                    tx.write(payload, to);
                }
                tx.write(payload, to, failure -> second.complete(null));
                tx.flush();
            });
            second.get(10, TimeUnit.SECONDS);

            OffloadStats offload = tx.offloadStats();
            dev.salvo.ChannelStats stats = tx.stats();
            assertEquals(1, offload.gsoFallbacks());
            assertTrue(offload.coalescedSends() >= 1, offload.toString());
            assertEquals(offload.coalescedSends(), stats.coalescedSends());
            assertEquals(offload.coalescedDatagrams(), stats.coalescedDatagrams());
            assertEquals(20, stats.datagramsWritten());
            assertEquals(20_000, stats.bytesWritten());
            assertEquals(0, stats.writeFailures());
            tx.close().join();
            recording.stop();
            recording.dump(file);
            java.util.List<jdk.jfr.consumer.RecordedEvent> events = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.salvo.OffloadFallback")).toList();
            assertEquals(1, events.size(), events.toString());
            assertEquals("GSO_OFF", events.getFirst().getString("kind"));
            assertEquals(1, events.getFirst().getLong("count"));
        } finally {
            Sockets.closeQuietly(rx);
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void ecnMarkingKeepsTheDscpBitsOverIpv4Ipv6AndMapped() throws Exception {
        record Case(int family, String rxHost, String txHost) {
        }
        for (Case c : new Case[] {
                new Case(AF_INET, "127.0.0.1", "127.0.0.1"),
                new Case(AF_INET6, "::1", "::1"),
                new Case(AF_INET, "127.0.0.1", "::")}) {
            int rx = TestSockets.bound(c.family(), new InetSocketAddress(InetAddress.getByName(c.rxHost()), 0));
            try {
                if (c.family() == AF_INET6) {
                    Sockets.setInt(rx, SOL_IPV6, IPV6_RECVTCLASS, 1);
                } else {
                    Sockets.setInt(rx, SOL_IP, IP_RECVTOS, 1);
                }
                InetSocketAddress to = (InetSocketAddress) Sockets.localAddress(rx);
                DatagramChannel tx = DatagramChannel.builder(group).option(ChannelOption.IP_TOS, EF)
                        .bind(new InetSocketAddress(InetAddress.getByName(c.txHost()), 0));
                for (Ecn ecn : Ecn.values()) {
                    tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(10), to).withEcn(ecn)).get(10, TimeUnit.SECONDS);
                    TestSockets.Received r = TestSockets.recvmsg(rx, 64);
                    assertNotNull(r);
                    int tos = c.family() == AF_INET6 ? r.control().trafficClass : r.control().tos;
                    assertEquals(EF | ecn.bits(), tos, c + " " + ecn);
                }
                // Without a per-datagram codepoint the socket's TOS goes out as set.
                tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(10), to)).get(10, TimeUnit.SECONDS);
                TestSockets.Received r = TestSockets.recvmsg(rx, 64);
                assertNotNull(r);
                assertEquals(EF, c.family() == AF_INET6 ? r.control().trafficClass : r.control().tos, c.toString());
                tx.close().join();
            } finally {
                Sockets.closeQuietly(rx);
            }
        }
    }
}
