package dev.salvo.write;

/**
 * The FIFO through which every completion (and writability event) of one manager passes.
 *
 * <p>Why a queue instead of calling completions on the spot: a completion is user code and may
 * call back into the manager (write more, close). If it ran in the middle of a transition it could
 * see a half-updated queue, and the completions it causes (say, failures from a close) would
 * overtake completions that were already due. Transitions therefore only {@link #offer} here, and
 * the outermost caller drains, so user code observes completions strictly in the order they were
 * decided, each exactly once.
 *
 * <p>Two parallel ring arrays, grown by doubling and never shrunk: queuing allocates nothing in
 * steady state. Entries with a {@code null} completion are never stored.
 */
final class CompletionQueue {
    private Object[] targets;
    private Throwable[] failures;
    private int head;
    private int size;

    /**
     * Receives the failures of writes queued without a completion, or {@code null} to drop them
     * like their successes (which are never stored).
     */
    private Object untrackedFailureTarget;

    /** The entry most recently removed by {@link #poll()}. */
    private Object polledTarget;
    private Throwable polledFailure;

    CompletionQueue(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        targets = new Object[capacity];
        failures = new Throwable[capacity];
    }

    /** @param target where failures of writes without completion go, or {@code null} to drop them */
    void setUntrackedFailureTarget(Object target) {
        untrackedFailureTarget = target;
    }

    /** @return whether failures of writes without completion are delivered */
    boolean tracksUntrackedFailures() {
        return untrackedFailureTarget != null;
    }

    /**
     * Appends one entry. A {@code null} target (a write nobody waits for) is dropped at once when
     * it succeeded, so fire-and-forget writes cost nothing here; when it failed, it goes to the
     * untracked-failure target, if any.
     *
     * @param target a completion or a writability event
     * @param failure {@code null} for success
     */
    void offer(Object target, Throwable failure) {
        if (target == null) {
            if (failure == null || untrackedFailureTarget == null) {
                return;
            }
            target = untrackedFailureTarget;
        }
        if (size == targets.length) {
            grow();
        }
        int slot = (head + size) & (targets.length - 1);
        targets[slot] = target;
        failures[slot] = failure;
        size++;
    }

    /**
     * Removes the oldest entry; read it with {@link #polledTarget()} and {@link #polledFailure()}.
     *
     * @return {@code false} when the queue was empty
     */
    boolean poll() {
        if (size == 0) {
            polledTarget = null;
            polledFailure = null;
            return false;
        }
        polledTarget = targets[head];
        polledFailure = failures[head];
        targets[head] = null;
        failures[head] = null;
        head = (head + 1) & (targets.length - 1);
        size--;
        return true;
    }

    Object polledTarget() {
        return polledTarget;
    }

    Throwable polledFailure() {
        return polledFailure;
    }

    /** Forgets the last polled entry so that it is not kept reachable. */
    void releasePolled() {
        polledTarget = null;
        polledFailure = null;
    }

    int size() {
        return size;
    }

    private void grow() {
        int capacity = targets.length;
        if (capacity >= 1 << 30) {
            throw new IllegalStateException("too many undelivered completions");
        }
        Object[] newTargets = new Object[capacity << 1];
        Throwable[] newFailures = new Throwable[capacity << 1];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (capacity - 1);
            newTargets[i] = targets[from];
            newFailures[i] = failures[from];
        }
        targets = newTargets;
        failures = newFailures;
        head = 0;
    }
}
