package dev.salvo.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TaskQueueTest {
    private static final class Numbered implements Runnable {
        final int producer;
        final int seq;

        Numbered(int producer, int seq) {
            this.producer = producer;
            this.seq = seq;
        }

        @Override
        public void run() {
        }
    }

    @Test
    void tasksComeOutInTheOrderTheyWentInAcrossGrowthAndBatches() {
        TaskQueue q = new TaskQueue();
        List<Runnable> added = new ArrayList<>();
        List<Runnable> taken = new ArrayList<>();
        int next = 0;
        // Interleave adds and polls so that batches swap while the arrays grow past 64 slots.
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < round * 7; i++) {
                Runnable r = new Numbered(0, next++);
                added.add(r);
                q.add(r);
            }
            for (int i = 0; i < round * 5; i++) {
                Runnable r = q.poll();
                if (r != null) {
                    taken.add(r);
                }
            }
        }
        Runnable r;
        while ((r = q.poll()) != null) {
            taken.add(r);
        }
        assertEquals(added, taken);
        assertTrue(q.isEmpty());
        assertNull(q.poll());
    }

    @Test
    void aTaskAddedWhileABatchIsDrainedRunsAfterThatBatch() {
        TaskQueue q = new TaskQueue();
        Runnable a = () -> { };
        Runnable b = () -> { };
        Runnable c = () -> { };
        q.add(a);
        q.add(b);
        assertEquals(a, q.poll());
        q.add(c); // goes to the incoming array while b is still in the draining one
        assertEquals(b, q.poll());
        assertEquals(c, q.poll());
        assertNull(q.poll());
    }

    @Test
    void concurrentProducersLoseNothingAndKeepTheirOwnOrder() throws InterruptedException {
        TaskQueue q = new TaskQueue();
        int producers = 4;
        int perProducer = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    q.add(new Numbered(id, i));
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        int[] nextSeq = new int[producers];
        int total = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (total < producers * perProducer && System.nanoTime() < deadline) {
            Runnable r = q.poll();
            if (r == null) {
                Thread.onSpinWait();
                continue;
            }
            Numbered n = (Numbered) r;
            assertEquals(nextSeq[n.producer], n.seq, "producer " + n.producer + " out of order");
            nextSeq[n.producer]++;
            total++;
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(producers * perProducer, total);
        assertTrue(q.isEmpty());
    }
}
