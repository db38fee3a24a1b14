package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.WaterMark;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real back-pressure: a unix-domain datagram socket with a tiny send buffer writing to a slow
 * receiver (unix datagrams are never dropped: the sender gets {@code EAGAIN} when the receiver's
 * queue is full, unlike loopback UDP which drops). A producer that respects writability sees the
 * channel flip unwritable and writable again many times; every write completes exactly once,
 * everything arrives in order, and the bytes held in the queue stay bounded by the high water mark.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnixBackPressureFaultTest {
    private static final int DATAGRAMS = 12_000;
    private static final int SIZE = 512;
    private static final WaterMark MARKS = new WaterMark(4 * 1024, 16 * 1024);

    @Test
    void writabilityFlipsAndRecoversRepeatedlyWithoutLosingOrDoublingACompletion() throws Exception {
        assumeTrue(linuxEpoll(), "unix-domain datagram sockets need the epoll transport");
        try (EventLoopGroup group = EventLoopGroup.create(2, TransportType.EPOLL)) {
            AbstractUnixAddress where = AbstractUnixAddress.of("salvo-rel-bp-" + ProcessHandle.current().pid());
            SlowReceiver rx = new SlowReceiver();
            DatagramChannel receiver = DatagramChannel.builder(group).loop(0)
                    .option(ChannelOption.READ_BATCH_SIZE, 4)
                    .handler(rx)
                    .bind(where);
            List<Boolean> flips = new CopyOnWriteArrayList<>();
            AtomicIntegerArray completions = new AtomicIntegerArray(DATAGRAMS);
            AtomicLong completed = new AtomicLong();
            Producer producer = new Producer(where, completions, completed);
            DatagramChannel tx = DatagramChannel.builder(group).loop(1)
                    .option(ChannelOption.SO_SNDBUF, 4096)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, MARKS)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        }

                        @Override
                        public void onWritabilityChanged(DatagramChannel ch, boolean writable) {
                            flips.add(writable);
                            if (writable) {
                                producer.run(ch); // resume where it stopped
                            }
                        }
                    })
                    .open(StandardProtocolFamily.UNIX);
            // The producer runs on the channel's loop, like a server answering from its handler.
            tx.eventLoop().execute(() -> producer.run(tx));
            assertTrue(Await.until(() -> completed.get() == DATAGRAMS, 20_000), "completed " + completed.get());
            assertTrue(Await.until(() -> rx.received() == DATAGRAMS, 20_000), "received " + rx.received());
            Thread.sleep(50); // a doubled completion would show up now

            for (int i = 0; i < DATAGRAMS; i++) {
                assertEquals(1, completions.get(i), "write " + i + " completed once, successfully");
            }
            assertEquals(0, rx.outOfOrder(), "unix datagrams arrive in order");
            long falls = flips.stream().filter(w -> !w).count();
            assertTrue(falls >= 3, "writability should fall and recover repeatedly: " + flips.size() + " flips");
            for (int i = 0; i < flips.size(); i++) {
                assertEquals(i % 2 == 1, flips.get(i), "flips alternate, starting with unwritable: " + flips);
            }
            assertTrue(tx.isWritable());
            // The producer stops at the first write that crosses the high mark.
            assertTrue(producer.maxQueuedBytes <= MARKS.high() + SIZE,
                    "queued bytes stay bounded: max " + producer.maxQueuedBytes);
            System.out.printf("unix back-pressure: %d datagrams, %d writability flips, max %d bytes queued%n",
                    DATAGRAMS, flips.size(), producer.maxQueuedBytes);
            tx.close().get(10, TimeUnit.SECONDS);
            receiver.close().get(10, TimeUnit.SECONDS);
        }
    }

    static boolean linuxEpoll() {
        try (EventLoopGroup g = EventLoopGroup.create(1, TransportType.EPOLL)) {
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Writes while the channel is writable, one flush per datagram, then waits to be resumed. */
    private static final class Producer {
        private final AbstractUnixAddress to;
        private final AtomicIntegerArray completions;
        private final AtomicLong completed;
        private int next;
        private boolean running;
        volatile long maxQueuedBytes;

        Producer(AbstractUnixAddress to, AtomicIntegerArray completions, AtomicLong completed) {
            this.to = to;
            this.completions = completions;
            this.completed = completed;
        }

        void run(DatagramChannel tx) {
            if (running) {
                return; // a writability event fired from inside our own write
            }
            running = true;
            try {
                while (next < DATAGRAMS && tx.isWritable()) {
                    int id = next++;
                    tx.write(SeqReceiver.payload(id, SIZE), to, failure -> {
                        completions.addAndGet(id, failure == null ? 1 : 1000);
                        completed.incrementAndGet();
                    });
                    // Every write is flushed at once: bytes pile up only while the socket says EAGAIN.
                    tx.flush();
                    maxQueuedBytes = Math.max(maxQueuedBytes, (next - completed.get()) * SIZE);
                }
            } finally {
                running = false;
            }
        }
    }

    /** Takes its time over each datagram, so the sender's queue and the socket fill up. */
    private static final class SlowReceiver implements ChannelHandler {
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong outOfOrder = new AtomicLong();
        private int expected;

        @Override
        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
            ByteBuffer p = d.payload();
            int seq = p.getInt(p.position());
            if (seq != expected) {
                outOfOrder.incrementAndGet();
            }
            expected = seq + 1;
            received.incrementAndGet();
            if (seq % 8 == 0) {
                LockSupport.parkNanos(200_000);
            }
        }

        long received() {
            return received.get();
        }

        long outOfOrder() {
            return outOfOrder.get();
        }
    }
}
