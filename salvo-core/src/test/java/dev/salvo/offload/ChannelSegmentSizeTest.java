package dev.salvo.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.OutboundDatagram;
import dev.salvo.OutboundSegment;
import dev.salvo.ReceivedDatagram;
import dev.salvo.TransportType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelOption#GSO_SEGMENT_SIZE}: the channel's default segment size splits every longer
 * datagram at that size, a datagram's own segment size wins, a short one goes out whole. The
 * receiver has GRO off, so each segment arrives as the datagram it is on the wire.
 */
class ChannelSegmentSizeTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = EventLoopGroup.create(1, TransportType.EPOLL);
    }

    @AfterEach
    void stop() {
        group.close();
    }

    private static void assertSplit(List<ReceivedDatagram> got, ByteBuffer sent, int... sizes) {
        assertEquals(sizes.length, got.size());
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], got.get(i).bytes().length, "datagram " + i);
            assertArrayEquals(GsoChannelTest.slice(sent, offset, sizes[i]), got.get(i).bytes(), "bytes of datagram " + i);
            offset += sizes[i];
        }
    }

    @Test
    void everyLongerWriteIsSplitAtTheChannelSizeUnlessTheDatagramSaysOtherwise() throws Exception {
        try (Peer rx = new Peer(group, LOOPBACK, Map.of())) {
            DatagramChannel tx = DatagramChannel.builder(group).option(ChannelOption.GSO_SEGMENT_SIZE, 1000).bind(LOOPBACK);
            assertEquals(1000, tx.getOption(ChannelOption.GSO_SEGMENT_SIZE));

            // A plain write, no segment size of its own: split at the channel's 1000.
            ByteBuffer plain = GsoChannelTest.segments(7, 500, true); // 3500 bytes
            CompletableFuture<Void> done = new CompletableFuture<>();
            tx.write(plain.duplicate(), rx.address(), failure -> done.complete(null));
            tx.flush();
            done.get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(4), plain, 1000, 1000, 1000, 500);
            assertNull(rx.poll(100), "exactly four datagrams");

            // The datagram's own segment size overrides the channel's.
            ByteBuffer own = GsoChannelTest.segments(3, 700, false);
            tx.writeAndFlush(OutboundDatagram.of(own.duplicate(), rx.address()).withSegmentSize(700)).get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(3), own, 700, 700, 700);

            // A datagram no longer than one segment goes out whole (no "segment larger than payload" refusal).
            ByteBuffer shortOne = GsoChannelTest.segments(1, 800, false);
            tx.writeAndFlush(OutboundDatagram.of(shortOne.duplicate(), rx.address())).get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(1), shortOne, 800);

            // The memory-segment path takes the channel's size too.
            try (Arena arena = Arena.ofConfined()) {
                ByteBuffer bytes = GsoChannelTest.segments(1, 2500, true);
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
            ByteBuffer whole = GsoChannelTest.segments(1, 1800, false); // under the receiver's 2048-byte buffers
            tx.writeAndFlush(OutboundDatagram.of(whole.duplicate(), rx.address())).get(10, TimeUnit.SECONDS);
            assertSplit(rx.take(1), whole, 1800);
            assertTrue(tx.isOpen());
        }
    }
}
