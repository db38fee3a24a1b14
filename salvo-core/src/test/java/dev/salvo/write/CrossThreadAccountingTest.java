package dev.salvo.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.WriteCompletion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cross-thread accounting on real threads (the jqwik model checks it step by step on one): a
 * producer thread reserves writes and hands them over, a loop thread queues, flushes and writes
 * them through a writer that sends some and pushes back on others. The producer checks what it
 * can know exactly — its own write counts from the call until it is handed over, and a write over
 * the high mark makes the channel unwritable at once — and both threads check the bound.
 */
class CrossThreadAccountingTest {
    private static final SocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);
    private static final int WRITES = 20_000;
    private static final int LOW = 2_000;
    private static final int HIGH = 6_000;
    private static final long BOUND = 20_000;

    /** One handed-over write. */
    private record Task(int id, int length) {
    }

    @Test
    void producerThreadCountsAreExactAndEveryWriteCompletesOnce() throws Exception {
        List<Boolean> events = new ArrayList<>(); // loop thread only
        PendingDatagramWritesManager engine = new PendingDatagramWritesManager(events::add);
        engine.setWaterMarks(LOW, HIGH);
        engine.setMaxPendingBytes(BOUND);
        AtomicIntegerArray completions = new AtomicIntegerArray(WRITES);
        AtomicIntegerArray refused = new AtomicIntegerArray(WRITES);
        BlockingQueue<Task> handOver = new ArrayBlockingQueue<>(64);
        AtomicReference<Throwable> problem = new AtomicReference<>();
        ByteBuffer payload = ByteBuffer.allocateDirect(HIGH + 1000);

        Thread producer = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(12);
            try {
                for (int id = 0; id < WRITES; id++) {
                    // Mostly small; now and then one above the high mark on its own.
                    int length = random.nextInt(50) == 0 ? HIGH + 1 + random.nextInt(500) : random.nextInt(1200);
                    if (!engine.reserve(length)) {
                        refused.incrementAndGet(id);
                        continue;
                    }
                    // Not handed over yet, so the loop cannot have completed it: it must count.
                    assertTrue(engine.pendingBytes() >= length, "own write counted");
                    assertTrue(engine.pendingDatagrams() >= 1, "own datagram counted");
                    assertTrue(engine.pendingBytes() <= BOUND, "bound held");
                    if (length > HIGH) {
                        assertFalse(engine.isWritable(), "unwritable at once above the high mark");
                    }
                    handOver.put(new Task(id, length));
                }
                handOver.put(new Task(-1, 0));
            } catch (Throwable t) {
                problem.compareAndSet(null, t);
            }
        }, "producer");

        SplittableRandom kernel = new SplittableRandom(34);
        DatagramWriter writer = new DatagramWriter() {
            @Override
            public void writeScalar(PendingWrite write, SendOutcome out) {
                answer(1, out);
            }

            @Override
            public void writeVector(WriteBatch batch, int count, SendOutcome out) {
                answer(count, out);
            }

            private void answer(int count, SendOutcome out) {
                if (kernel.nextInt(4) == 0) {
                    out.failed(SendError.WOULD_BLOCK, 11, "sendmmsg");
                } else {
                    out.sent(1 + kernel.nextInt(count));
                }
            }
        };

        producer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean done = false;
        while (!(done && engine.isEmpty()) && System.nanoTime() < deadline && problem.get() == null) {
            Task t = done ? null : handOver.poll(1, TimeUnit.MILLISECONDS);
            if (t != null && t.id() < 0) {
                done = true;
            } else if (t != null) {
                int id = t.id();
                WriteCompletion c = failure -> {
                    completions.incrementAndGet(id);
                    if (failure != null) {
                        problem.compareAndSet(null, failure);
                    }
                };
                engine.claim().buffer(payload, 0, t.length()).destination(PEER).completion(c);
                engine.commitReserved(t.length());
                if (engine.pendingBytes() > BOUND) {
                    problem.compareAndSet(null, new AssertionError("bound passed: " + engine.pendingBytes()));
                }
            }
            engine.flush();
            engine.write(writer);
        }
        producer.join(10_000);
        if (problem.get() != null) {
            throw new AssertionError("failed during the run", problem.get());
        }
        assertTrue(done && engine.isEmpty(), "drained in time");
        for (int id = 0; id < WRITES; id++) {
            assertEquals(refused.get(id) == 1 ? 0 : 1, completions.get(id), "completions of write " + id);
        }
        assertEquals(0, engine.pendingBytes());
        assertEquals(0, engine.pendingDatagrams());
        assertTrue(engine.isWritable());
        assertFalse(events.isEmpty(), "the marks were crossed");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i % 2 == 1, events.get(i), "flips alternate, starting with unwritable: " + i);
        }
        assertEquals(Boolean.TRUE, events.getLast(), "ends writable");
    }
}
