package dev.salvo.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.Ecn;
import dev.salvo.EventLoopGroup;
import dev.salvo.OffloadStats;
import dev.salvo.OutboundDatagram;
import dev.salvo.OutboundSegment;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GSO through the public API on the epoll transport: explicit, automatic, limits, and GSO forced off. */
class GsoChannelTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

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

    /** {@code count} datagrams of {@code size} bytes back to back in one buffer, each recognisable. */
    static ByteBuffer segments(int count, int size, boolean direct) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(count * size) : ByteBuffer.allocate(count * size);
        for (int i = 0; i < count * size; i++) {
            b.put(i, (byte) ((i / size) * 31 + i % 251));
        }
        return b;
    }

    static byte[] slice(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.get(from, out);
        return out;
    }

    private DatagramChannel sender() throws Exception {
        return DatagramChannel.builder(group).bind(LOOPBACK);
    }

    private static void assertGsoAvailable(DatagramChannel ch) {
        assumeTrue(ch.offloadStats().gso(), "the kernel has no UDP GSO here");
    }

    @Test
    void explicitGsoOfTenSegmentsReachesAGroReceiverAsTenDatagramsWithTheirSegmentSize() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of(ChannelOption.UDP_GRO, true))) {
            DatagramChannel tx = sender();
            assertGsoAvailable(tx);
            ByteBuffer payload = segments(10, 1200, true);
            tx.writeAndFlush(new OutboundDatagram(payload, rx.address(), null, 1200, null)).get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(10);
            for (int i = 0; i < 10; i++) {
                ReceivedDatagram d = got.get(i);
                assertArrayEquals(slice(payload, i * 1200, 1200), d.bytes(), "segment " + i);
                assertEquals(tx.localAddress(), d.sender());
                assertEquals(1200, d.segmentSize(), "GRO segment size of datagram " + i);
            }
            assertNull(rx.poll(100));
        }
    }

    @Test
    void eachGroSegmentsWritableViewCoversThatSegmentAlone() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        DatagramChannel rx = DatagramChannel.builder(group).option(ChannelOption.UDP_GRO, true).handler((ch, d) -> {
            ByteBuffer w = d.writablePayload();
            ByteBuffer p = d.payload();
            // Same window as payload(), writable, and a write through it shows through payload().
            w.put(w.position(), (byte) (w.get(w.position()) ^ 0x55));
            seen.add(!w.isReadOnly() + " " + (w.position() == p.position()) + " " + (w.limit() == p.limit())
                    + " " + (w.get(w.position()) == p.get(p.position())) + " " + (w.limit() - w.position()));
        }).bind(LOOPBACK);
        try {
            DatagramChannel tx = sender();
            assertGsoAvailable(tx);
            tx.writeAndFlush(new OutboundDatagram(segments(10, 1200, true), rx.localAddress(), null, 1200, null))
                    .get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                assertEquals("true true true true 1200", seen.poll(10, TimeUnit.SECONDS), "segment " + i);
            }
        } finally {
            rx.close().join();
        }
    }

    @Test
    void explicitGsoOfTenSegmentsReachesAPlainReceiverAsTenDatagrams() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of())) {
            DatagramChannel tx = sender();
            ByteBuffer payload = segments(10, 1200, false);
            tx.writeAndFlush(new OutboundDatagram(payload, rx.address(), null, 1200, null)).get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(10);
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(slice(payload, i * 1200, 1200), got.get(i).bytes(), "segment " + i);
                assertEquals(0, got.get(i).segmentSize());
                assertEquals(tx.localAddress(), got.get(i).sender());
            }
            assertNull(rx.poll(100));
        }
    }

    @Test
    void aNativeSegmentCarriesItsSegmentSizeAndEcnWithoutACopyIntoABuffer() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of(ChannelOption.RECEIVE_ECN, true));
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            DatagramChannel tx = sender();
            ByteBuffer bytes = segments(10, 1200, false);
            java.lang.foreign.MemorySegment native_ = arena.allocate(bytes.capacity());
            native_.copyFrom(java.lang.foreign.MemorySegment.ofBuffer(bytes));
            java.util.concurrent.CompletableFuture<Throwable> done = new java.util.concurrent.CompletableFuture<>();
            tx.write(OutboundSegment.of(native_, rx.address()).withSegmentSize(1200).withEcn(Ecn.ECT_0), done::complete);
            tx.flush();
            assertNull(done.get(10, TimeUnit.SECONDS), "sent");
            List<ReceivedDatagram> got = rx.take(10);
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(slice(bytes, i * 1200, 1200), got.get(i).bytes(), "segment " + i);
                assertEquals(Ecn.ECT_0, got.get(i).ecn(), "segment " + i);
            }
            assertNull(rx.poll(100));
        }
    }

    @Test
    void explicitGsoBeyondALimitFailsThatDatagramAloneNamingTheLimit() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of())) {
            DatagramChannel tx = sender();
            int max = tx.offloadStats().maxSegments();
            assertTrue(max == 64 || max == 128, "probed segment limit " + max);

            ByteBuffer many = segments(max + 1, 10, true);
            Throwable tooMany = failure(tx.writeAndFlush(new OutboundDatagram(many, rx.address(), null, 10, null)));
            assertInstanceOf(DatagramTooLargeException.class, tooMany);
            assertTrue(tooMany.getMessage().contains("limit is " + max), tooMany.getMessage());

            ByteBuffer huge = ByteBuffer.allocateDirect(65_508);
            Throwable tooBig = failure(tx.writeAndFlush(new OutboundDatagram(huge, rx.address(), null, 1200, null)));
            assertInstanceOf(DatagramTooLargeException.class, tooBig);
            assertTrue(tooBig.getMessage().contains("65507"), tooBig.getMessage());

            ByteBuffer small = ByteBuffer.allocate(100);
            Throwable wider = failure(tx.writeAndFlush(new OutboundDatagram(small, rx.address(), null, 200, null)));
            assertInstanceOf(IllegalArgumentException.class, wider);

            assertThrows(IllegalArgumentException.class,
                    () -> new OutboundDatagram(small, rx.address(), null, -1, null));

            tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.wrap(new byte[] {7}), rx.address())).get(10, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {7}, rx.take().bytes(), "the channel stays open and sends on");
            assertTrue(tx.isOpen());
        }
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        CompletionException e = assertThrows(CompletionException.class, () -> f.orTimeout(10, TimeUnit.SECONDS).join());
        return e.getCause();
    }

    @Test
    void automaticGsoCoalescesAFlushOfEqualWritesAndEveryDatagramArrivesInOrder() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of())) {
            DatagramChannel tx = sender();
            assertGsoAvailable(tx);
            assertTrue(tx.getOption(ChannelOption.GSO_AUTO), "on by default where GSO works");
            ByteBuffer all = segments(64, 1200, true);
            CompletableFuture<Void> last = new CompletableFuture<>();
            int[] completed = new int[1];
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 64; i++) {
                    ByteBuffer one = all.slice(i * 1200, 1200);
                    tx.write(one, rx.address(), failure -> {
                        if (failure == null) {
                            completed[0]++;
                        }
                    });
                }
                tx.write(ByteBuffer.allocate(0), rx.address(), failure -> last.complete(null));
                tx.flush();
            });
            last.get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(65);
            for (int i = 0; i < 64; i++) {
                assertArrayEquals(slice(all, i * 1200, 1200), got.get(i).bytes(), "datagram " + i);
            }
            assertEquals(0, got.get(64).payload().remaining(), "the empty datagram comes last");
            OffloadStats stats = tx.offloadStats();
            assertEquals(64, stats.coalescedDatagrams(), "every 1200-byte datagram went out coalesced");
            // 54 × 1200 fits in 65,507 bytes: two GSO sends.
            assertEquals(2, stats.coalescedSends());
            CompletableFuture<Integer> count = new CompletableFuture<>();
            tx.eventLoop().execute(() -> count.complete(completed[0]));
            assertEquals(64, count.get(10, TimeUnit.SECONDS), "each original write completed, successfully");
        }
    }

    @Test
    void automaticGsoDeliversToAGroReceiverWithTheSegmentSize() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of(ChannelOption.UDP_GRO, true))) {
            DatagramChannel tx = sender();
            assertGsoAvailable(tx);
            ByteBuffer all = segments(8, 500, false);
            CompletableFuture<Void> done = new CompletableFuture<>();
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 8; i++) {
                    tx.write(all.slice(i * 500, 500), rx.address());
                }
                tx.write(all.slice(0, 500), rx.address(), failure -> done.complete(null));
                tx.flush();
            });
            done.get(10, TimeUnit.SECONDS);
            for (ReceivedDatagram d : rx.take(9)) {
                assertEquals(500, d.segmentSize(), "coalesced on the way, split again on arrival");
            }
        }
    }

    @Test
    void automaticGsoTurnedOffSendsPlainDatagrams() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).option(ChannelOption.GSO_AUTO, false).bind(LOOPBACK);
            assertFalse(tx.getOption(ChannelOption.GSO_AUTO));
            CompletableFuture<Void> done = new CompletableFuture<>();
            tx.eventLoop().execute(() -> {
                for (int i = 0; i < 10; i++) {
                    tx.write(ByteBuffer.allocate(300), rx.address());
                }
                tx.write(ByteBuffer.allocate(300), rx.address(), failure -> done.complete(null));
                tx.flush();
            });
            done.get(10, TimeUnit.SECONDS);
            rx.take(11);
            assertEquals(0, tx.offloadStats().coalescedDatagrams());
        }
    }

    @Test
    void gsoForcedOffAtCreationSplitsExplicitSegmentsInSoftware() throws Exception {
        DatagramChannel tx;
        System.setProperty("salvo.gso", "off");
        try {
            tx = sender();
        } finally {
            System.clearProperty("salvo.gso");
        }
        try (Peer rx = new Peer(group, LOOPBACK, Map.of(ChannelOption.UDP_GRO, true))) {
            OffloadStats stats = tx.offloadStats();
            assertFalse(stats.gso());
            assertFalse(stats.autoGso());
            assertFalse(tx.getOption(ChannelOption.GSO_AUTO));
            assertThrows(UnsupportedOperationException.class, () -> tx.setOption(ChannelOption.GSO_AUTO, true));
            tx.setOption(ChannelOption.GSO_AUTO, false);

            ByteBuffer payload = segments(10, 1200, true);
            payload.limit(10 * 1200 - 700); // a shorter last segment of 500 bytes
            tx.writeAndFlush(new OutboundDatagram(payload, rx.address(), null, 1200, null)).get(10, TimeUnit.SECONDS);
            List<ReceivedDatagram> got = rx.take(10);
            for (int i = 0; i < 10; i++) {
                int len = i < 9 ? 1200 : 500;
                assertArrayEquals(slice(payload, i * 1200, len), got.get(i).bytes(), "segment " + i);
                assertEquals(0, got.get(i).segmentSize(), "sent as separate datagrams, nothing for GRO to merge");
            }
            assertEquals(1, tx.offloadStats().softwareSplits());
            assertEquals(0, tx.offloadStats().gsoFallbacks(), "off from the start is not a fallback");
        } finally {
            tx.close().join();
        }
    }

    private static void assertSplit(List<ReceivedDatagram> got, ByteBuffer sent, int... sizes) {
        assertEquals(sizes.length, got.size());
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], got.get(i).bytes().length, "datagram " + i);
            assertArrayEquals(slice(sent, offset, sizes[i]), got.get(i).bytes(), "bytes of datagram " + i);
            offset += sizes[i];
        }
    }

    /**
     * {@link ChannelOption#GSO_SEGMENT_SIZE}: the channel's default segment size splits every longer
     * datagram at that size, a datagram's own segment size wins, a short one goes out whole. The
     * receiver has GRO off, so each segment arrives as the datagram it is on the wire.
     */
    @Test
    void everyLongerWriteIsSplitAtTheChannelSegmentSizeUnlessTheDatagramSaysOtherwise() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).option(ChannelOption.GSO_SEGMENT_SIZE, 1000).bind(LOOPBACK);
            assertEquals(1000, tx.getOption(ChannelOption.GSO_SEGMENT_SIZE));

            // A plain write, no segment size of its own: split at the channel's 1000.
            ByteBuffer plain = segments(7, 500, true); // 3500 bytes
            CompletableFuture<Void> done = new CompletableFuture<>();
            tx.write(plain.duplicate(), rx.address(), failure -> done.complete(null));
            tx.flush();
            done.get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(4), plain, 1000, 1000, 1000, 500);
            assertNull(rx.poll(100), "exactly four datagrams");

            // The datagram's own segment size overrides the channel's.
            ByteBuffer own = segments(3, 700, false);
            tx.writeAndFlush(OutboundDatagram.of(own.duplicate(), rx.address()).withSegmentSize(700)).get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(3), own, 700, 700, 700);

            // A datagram no longer than one segment goes out whole (no "segment larger than payload" refusal).
            ByteBuffer shortOne = segments(1, 800, false);
            tx.writeAndFlush(OutboundDatagram.of(shortOne.duplicate(), rx.address())).get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(1), shortOne, 800);

            // The memory-segment path takes the channel's size too.
            try (Arena arena = Arena.ofConfined()) {
                ByteBuffer bytes = segments(1, 2500, true);
                MemorySegment seg = arena.allocate(2500);
                seg.copyFrom(MemorySegment.ofBuffer(bytes));
                CompletableFuture<Void> sent = new CompletableFuture<>();
                tx.write(OutboundSegment.of(seg, rx.address()), failure -> sent.complete(null));
                tx.flush();
                sent.get(10, TimeUnit.SECONDS);
                assertSplit(rx.take(3), bytes, 1000, 1000, 500);
            }

            // Off again: a long datagram goes out as one.
            tx.setOption(ChannelOption.GSO_SEGMENT_SIZE, 0);
            ByteBuffer whole = segments(1, 1800, false); // under the receiver's 2048-byte buffers
            tx.writeAndFlush(OutboundDatagram.of(whole.duplicate(), rx.address())).get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(1), whole, 1800);
            assertTrue(tx.isOpen());
        }
    }
}
