package dev.salvo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.PendingWritesFullException;
import dev.salvo.TransportType;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChannelOption#MAX_PENDING_BYTES} against a producer that never looks at writability: a
 * thread (not the loop) writes and flushes as fast as it can to a unix-domain reader whose loop is
 * stalled, so the socket fills (unix datagrams are never dropped) and everything else piles up in
 * the channel. The pending bytes never pass the bound; every write past it fails at once, on the
 * producer's thread, with {@link PendingWritesFullException}, exactly once; every accepted write
 * completes exactly once, successfully, when the reader drains, and arrives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnixHardBoundFaultTest {
    private static final int DATAGRAMS = 3_000;
    private static final int SIZE = 512;
    private static final long BOUND = 16 * 1024;

    @Test
    void aProducerIgnoringWritabilityIsHeldAtTheBoundAndEveryWriteCompletesOnce() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(2, TransportType.EPOLL)) {
            AbstractUnixAddress where = AbstractUnixAddress.of("salvo-rel-bound-" + ProcessHandle.current().pid());
            AtomicLong received = new AtomicLong();
            DatagramChannel receiver = DatagramChannel.builder(group).loop(0)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                            received.incrementAndGet();
                        }
                    })
                    .bind(where);
            DatagramChannel tx = DatagramChannel.builder(group).loop(1)
                    .option(ChannelOption.SO_SNDBUF, 4096)
                    .option(ChannelOption.MAX_PENDING_BYTES, BOUND)
                    .open(StandardProtocolFamily.UNIX);
            CountDownLatch release = Await.holdLoop(receiver.eventLoop());

            // 0: not completed; 1: succeeded; 2: refused by the bound; anything else is a bug.
            AtomicIntegerArray outcome = new AtomicIntegerArray(DATAGRAMS);
            AtomicInteger wrongFailures = new AtomicInteger();
            int refusedAtOnce = 0;
            long maxPending = 0;
            for (int i = 0; i < DATAGRAMS; i++) {
                int id = i;
                boolean[] onThisThread = new boolean[1];
                Thread caller = Thread.currentThread();
                tx.write(SeqReceiver.payload(id, SIZE), where, failure -> {
                    int code = failure == null ? 1 : failure instanceof PendingWritesFullException ? 2 : 100;
                    if (code == 100) {
                        wrongFailures.incrementAndGet();
                    }
                    if (Thread.currentThread() == caller) {
                        onThisThread[0] = true;
                    }
                    outcome.addAndGet(id, code);
                });
                tx.flush();
                if (onThisThread[0]) {
                    assertEquals(2, outcome.get(id), "only a refusal completes on the producer's thread");
                    refusedAtOnce++;
                }
                maxPending = Math.max(maxPending, tx.pendingBytes());
                assertTrue(tx.pendingBytes() <= BOUND, "pending bytes " + tx.pendingBytes() + " past the bound");
            }
            assertTrue(refusedAtOnce > DATAGRAMS / 2, "the stalled reader keeps most writes out: " + refusedAtOnce);
            assertTrue(tx.pendingDatagrams() > 0, "accepted writes wait for the reader");
            int accepted = DATAGRAMS - refusedAtOnce;

            release.countDown();
            assertTrue(Await.until(() -> tx.pendingDatagrams() == 0, 20_000), "drained: " + tx.pendingDatagrams());
            assertTrue(Await.until(() -> received.get() == accepted, 20_000),
                    "received " + received.get() + " of " + accepted);
            Thread.sleep(50); // a doubled completion would show up now
            int succeeded = 0;
            int refused = 0;
            for (int i = 0; i < DATAGRAMS; i++) {
                int o = outcome.get(i);
                assertTrue(o == 1 || o == 2, "write " + i + " completed once (outcome " + o + ")");
                succeeded += o == 1 ? 1 : 0;
                refused += o == 2 ? 1 : 0;
            }
            assertEquals(0, wrongFailures.get());
            assertEquals(accepted, succeeded);
            assertEquals(refusedAtOnce, refused);
            assertEquals(refused, tx.stats().otherWriteFailures(), "refusals counted");
            assertTrue(tx.isOpen() && tx.isWritable());
            System.out.printf("hard bound: %d writes, %d accepted, %d refused at once, max %d of %d bytes pending%n",
                    DATAGRAMS, accepted, refused, maxPending, BOUND);
            tx.close().get(10, TimeUnit.SECONDS);
            receiver.close().get(10, TimeUnit.SECONDS);
        }
    }
}
