package dev.salvo.loop;

/**
 * The event loop's task FIFO: any thread adds, the loop thread alone takes. Unlike a
 * {@link java.util.concurrent.ConcurrentLinkedQueue}, adding allocates nothing (no node per task):
 * the arrays only grow, by doubling, when more tasks are waiting than ever before.
 *
 * <p>Two arrays take turns: producers append to the incoming one under the queue's lock; when the
 * loop has run everything it holds, it swaps the (full) incoming array with its own (empty) one
 * in one short critical section and runs the batch without the lock. Every task of a batch was
 * added before every task of the next one, so tasks run in the order they were added, and a
 * producer and the loop contend for the lock once per batch, not once per task.
 */
final class TaskQueue {
    private static final int INITIAL_CAPACITY = 64;

    /** Guarded by {@code this}. */
    private Runnable[] incoming = new Runnable[INITIAL_CAPACITY];
    /** Guarded by {@code this}; volatile so that {@link #isEmpty()} can read it without the lock. */
    private volatile int incomingCount;

    // Loop thread only.
    private Runnable[] draining = new Runnable[INITIAL_CAPACITY];
    private int drainCount;
    private int drainIndex;

    /** Appends a task; any thread. */
    void add(Runnable task) {
        synchronized (this) {
            int n = incomingCount;
            if (n == incoming.length) {
                incoming = java.util.Arrays.copyOf(incoming, n << 1);
            }
            incoming[n] = task;
            incomingCount = n + 1;
        }
    }

    /** @return the oldest task, or {@code null} when none is waiting; loop thread only */
    Runnable poll() {
        if (drainIndex == drainCount && !takeBatch()) {
            return null;
        }
        Runnable task = draining[drainIndex];
        draining[drainIndex++] = null; // keep nothing reachable once run
        return task;
    }

    /**
     * @return whether no task is waiting; exact on the loop thread, a hint elsewhere (a task
     *     added concurrently may or may not be seen)
     */
    boolean isEmpty() {
        return drainIndex == drainCount && incomingCount == 0;
    }

    /** Swaps the incoming batch in; {@code false} when it was empty. */
    private boolean takeBatch() {
        if (incomingCount == 0) {
            return false; // the common idle case costs one volatile read, no lock
        }
        synchronized (this) {
            Runnable[] batch = incoming;
            drainCount = incomingCount;
            incoming = draining; // emptied slot by slot as it was drained
            incomingCount = 0;
            draining = batch;
        }
        drainIndex = 0;
        return true;
    }
}
