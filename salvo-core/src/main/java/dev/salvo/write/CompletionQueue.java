package dev.salvo.write;

import dev.salvo.WriteCompletion;

/**
 * The FIFO through which every completion (and writability event) of one manager passes.
 *
 * <p>Why a queue instead of calling completions on the spot: a completion is user code and may
 * call back into the manager (write more, close). If it ran in the middle of a transition it could
 * see a half-updated queue, and the completions it causes (say, failures from a close) would
 * overtake completions that were already due. Transitions therefore only offer here, and the
 * outermost caller drains, so user code observes completions strictly in the order they were
 * decided, each exactly once.
 *
 * <p>Three parallel ring arrays (what kind of entry, its completion, its failure), grown by
 * doubling and never shrunk: queuing allocates nothing in steady state. Entries with a
 * {@code null} completion are never stored.
 */
final class CompletionQueue {
    /** {@link #polledKind()} of a write's completion. */
    static final byte COMPLETION = 0;
    /** {@link #polledKind()} of the event "the channel became writable". */
    static final byte WRITABLE = 1;
    /** {@link #polledKind()} of the event "the channel became unwritable". */
    static final byte UNWRITABLE = 2;

    private byte[] kinds;
    private WriteCompletion[] targets;
    private Throwable[] failures;
    private int head;
    private int size;

    /** Receives the failures of writes queued without a completion, or {@code null} to drop them. */
    private WriteCompletion untrackedFailureTarget;

    /** The entry most recently removed by {@link #poll()}. */
    private byte polledKind;
    private WriteCompletion polledTarget;
    private Throwable polledFailure;

    CompletionQueue(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        kinds = new byte[capacity];
        targets = new WriteCompletion[capacity];
        failures = new Throwable[capacity];
    }

    /** @param target where failures of writes without completion go, or {@code null} to drop them */
    void setUntrackedFailureTarget(WriteCompletion target) {
        untrackedFailureTarget = target;
    }

    /** @return whether failures of writes without completion are delivered */
    boolean tracksUntrackedFailures() {
        return untrackedFailureTarget != null;
    }

    /**
     * Appends a write's completion. A {@code null} target (a write nobody waits for) is dropped
     * at once when it succeeded, so fire-and-forget writes cost nothing here; when it failed, it
     * goes to the untracked-failure target, if any.
     *
     * @param failure {@code null} for success
     */
    void offer(WriteCompletion target, Throwable failure) {
        if (target == null) {
            if (failure == null || untrackedFailureTarget == null) {
                return;
            }
            target = untrackedFailureTarget;
        }
        append(COMPLETION, target, failure);
    }

    /** Appends a writability flip. */
    void offerWritability(boolean writable) {
        append(writable ? WRITABLE : UNWRITABLE, null, null);
    }

    private void append(byte kind, WriteCompletion target, Throwable failure) {
        if (size == targets.length) {
            grow();
        }
        int slot = (head + size) & (targets.length - 1);
        kinds[slot] = kind;
        targets[slot] = target;
        failures[slot] = failure;
        size++;
    }

    /**
     * Removes the oldest entry; read it with {@link #polledKind()}, {@link #polledTarget()} and
     * {@link #polledFailure()}.
     *
     * @return {@code false} when the queue was empty
     */
    boolean poll() {
        if (size == 0) {
            releasePolled();
            return false;
        }
        polledKind = kinds[head];
        polledTarget = targets[head];
        polledFailure = failures[head];
        targets[head] = null;
        failures[head] = null;
        head = (head + 1) & (targets.length - 1);
        size--;
        return true;
    }

    byte polledKind() {
        return polledKind;
    }

    WriteCompletion polledTarget() {
        return polledTarget;
    }

    Throwable polledFailure() {
        return polledFailure;
    }

    /** Forgets the last polled entry so that it is not kept reachable. */
    void releasePolled() {
        polledKind = COMPLETION;
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
        byte[] newKinds = new byte[capacity << 1];
        WriteCompletion[] newTargets = new WriteCompletion[capacity << 1];
        Throwable[] newFailures = new Throwable[capacity << 1];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (capacity - 1);
            newKinds[i] = kinds[from];
            newTargets[i] = targets[from];
            newFailures[i] = failures[from];
        }
        kinds = newKinds;
        targets = newTargets;
        failures = newFailures;
        head = 0;
    }
}
