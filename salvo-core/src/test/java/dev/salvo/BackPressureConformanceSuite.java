package dev.salvo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Back-pressure a producer thread can trust, and reconnecting with writes buffered, on every
 * transport: a write from another thread counts in {@link DatagramChannel#pendingBytes()},
 * {@link DatagramChannel#pendingDatagrams()} and {@link DatagramChannel#isWritable()} the moment
 * it is called, even while the loop is busy; {@link ChannelOption#MAX_PENDING_BYTES} refuses at
 * once; {@code connect} to a new peer fails the buffered writes and moves the channel. The loop
 * is held (a task that waits) so that nothing the loop does can hide a lag.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BackPressureConformanceSuite {
    static final InetSocketAddress V4_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final int SIZE = 500;

    EventLoopGroup group;

    abstract TransportType transport();

    @BeforeEach
    void startGroup() {
        group = EventLoopGroup.create(1, transport());
    }

    @AfterEach
    void stopGroup() {
        group.close();
    }

    /** Holds the group's only loop until the latch is counted down (at most 20 s). */
    private CountDownLatch holdLoop(DatagramChannel ch) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ch.eventLoop().execute(() -> {
            held.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(10, TimeUnit.SECONDS), "loop held");
        return release;
    }

    private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aProducerThreadsWritesCountTheMomentTheyAreMadeAndFlipsArriveOnTheLoopInOrder() throws Exception {
        List<String> flips = new CopyOnWriteArrayList<>();
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = DatagramChannel.builder(group)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(1000, 3000))
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        }

                        @Override
                        public void onWritabilityChanged(DatagramChannel ch, boolean writable) {
                            flips.add(writable + (ch.inEventLoop() ? "" : " off the loop"));
                        }
                    }).bind(V4_ANY_PORT);
            assertEquals(0, tx.pendingBytes());
            CountDownLatch release = holdLoop(tx);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                writes.add(tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(SIZE), rx.address())));
                // The loop has not run a single one of them, yet each counts already.
                assertEquals((long) i * SIZE, tx.pendingBytes(), "pending bytes after write " + i);
                assertEquals(i, tx.pendingDatagrams(), "pending datagrams after write " + i);
                assertEquals(i * SIZE <= 3000, tx.isWritable(), "writable after write " + i);
            }
            assertTrue(flips.isEmpty(), "flips are reported on the loop, which is held: " + flips);
            release.countDown();
            for (CompletableFuture<Void> w : writes) {
                assertNull(failureOf(w));
            }
            assertTrue(rx.take(10).stream().allMatch(d -> d.bytes().length == SIZE));
            assertEquals(0, tx.pendingBytes());
            assertEquals(0, tx.pendingDatagrams());
            assertTrue(tx.isWritable());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flips.size() < 2 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(List.of("false", "true"), flips, "each flip once, in order, on the loop");
        }
    }

    @Test
    void theHardBoundRefusesAtOnceWithATypedFailureAndTheRestStillGoOut() throws Exception {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = DatagramChannel.builder(group).option(ChannelOption.MAX_PENDING_BYTES, 1200L)
                    .bind(V4_ANY_PORT);
            assertEquals(1200L, tx.getOption(ChannelOption.MAX_PENDING_BYTES));
            CountDownLatch release = holdLoop(tx);
            CompletableFuture<Void> first = tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(SIZE), rx.address()));
            CompletableFuture<Void> second = tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(SIZE), rx.address()));
            CompletableFuture<Void> third = tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(SIZE), rx.address()));
            // Refused on this thread, before the call returned, while the loop is still held.
            assertTrue(third.isCompletedExceptionally(), "refused at once");
            PendingWritesFullException full = assertInstanceOf(PendingWritesFullException.class, failureOf(third));
            assertEquals(1200L, full.bound());
            assertEquals(rx.address(), full.destination());
            assertEquals(2L * SIZE, tx.pendingBytes(), "the refused write is not counted");
            long untrackedBefore = tx.failedUntrackedWrites();
            tx.write(ByteBuffer.allocate(SIZE), rx.address());
            assertEquals(untrackedBefore + 1, tx.failedUntrackedWrites(), "a refused write without completion is counted");
            release.countDown();
            assertNull(failureOf(first));
            assertNull(failureOf(second));
            assertEquals(2, rx.take(2).size());
            assertEquals(0, tx.pendingBytes());
            // Room again: the next write is accepted.
            assertNull(failureOf(tx.writeAndFlush(OutboundDatagram.of(ByteBuffer.allocate(SIZE), rx.address()))));
            assertTrue(tx.stats().otherWriteFailures() >= 2, "refusals are counted as failures");
        }
    }

    @Test
    void connectingToAnotherPeerFailsBufferedWritesAndMovesTheChannel() throws Exception {
        try (Receiver a = new Receiver(group, V4_ANY_PORT); Receiver b = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel tx = DatagramChannel.builder(group).connect(a.address());
            assertNull(failureOf(tx.writeAndFlush(OutboundDatagram.of(ChannelConformanceSuite.text("to a")))));
            assertEquals("to a", ChannelConformanceSuite.text(a.take()));
            CompletableFuture<Void> buffered = new CompletableFuture<>();
            tx.write(ChannelConformanceSuite.text("buffered"), null, failure -> {
                if (failure == null) {
                    buffered.complete(null);
                } else {
                    buffered.completeExceptionally(failure);
                }
            });
            tx.connect(b.address());
            assertInstanceOf(ConnectedWhilePendingException.class, failureOf(buffered));
            assertEquals(b.address(), tx.remoteAddress());
            assertNull(failureOf(tx.writeAndFlush(OutboundDatagram.of(ChannelConformanceSuite.text("to b")))));
            assertEquals("to b", ChannelConformanceSuite.text(b.take()));
            assertNull(a.received.poll(200, TimeUnit.MILLISECONDS), "nothing more reaches the old peer");
            assertEquals(0, tx.pendingDatagrams());
        }
    }

    @Test
    void rawOptionsAndTheChannelSegmentSizeAreHonouredOrRefusedClearly() throws IOException {
        try (Receiver rx = new Receiver(group, V4_ANY_PORT)) {
            DatagramChannel ch = rx.channel;
            assertEquals(0, ch.getOption(ChannelOption.GSO_SEGMENT_SIZE));
            ch.setOption(ChannelOption.GSO_SEGMENT_SIZE, 0); // off is always accepted
            checkRawAndSegmentation(ch);
        }
    }

    /** What the transport does with raw options and a non-zero GSO_SEGMENT_SIZE. */
    abstract void checkRawAndSegmentation(DatagramChannel ch) throws IOException;
}
