package dev.salvo.write;

import dev.salvo.WriteCompletion;

/**
 * The pure bookkeeping of a datagram write queue: no system calls, no threads, no clocks.
 *
 * <p>A ring of reusable {@link PendingWrite} slots in queue order. The first {@link #flushed()}
 * of them are <em>flushed</em> (eligible to be sent); the rest wait for the next flush mark.
 * Invariants, true between any two calls:
 * <ul>
 *   <li>{@code 0 <= flushed() <= size()}, and flushed writes are always a prefix of the queue;</li>
 *   <li>{@link #bytes()} is exactly the sum of the lengths of the queued writes, and
 *       {@link #size()} exactly their number;</li>
 *   <li>writes leave only from the head, so their completions are offered to the
 *       {@link CompletionQueue} in queue order, each exactly once;</li>
 *   <li>a slot that left the queue holds no references (payload, address, completion).</li>
 * </ul>
 *
 * <p>The queue is also the {@link WriteBatch} handed to vector writes: index 0 is the head.
 * Growing the ring doubles it; it never shrinks, so a channel that has seen its peak load queues
 * without allocating.
 */
final class PendingDatagramWrites implements WriteBatch {
    private PendingWrite[] slots;
    private int head;
    private int size;
    private int flushed;
    private long bytes;
    /** Set after a recoverable vector error: the head must go out alone to learn its own fate. */
    private boolean headIsolated;

    PendingDatagramWrites(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        slots = new PendingWrite[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new PendingWrite();
        }
    }

    /**
     * @return the cleared slot after the last queued write, not yet part of the queue; it joins
     *     it with {@link #commitClaimed(PendingWrite)}, and the next claim clears it again if it never does
     */
    PendingWrite claim() {
        if (size == slots.length) {
            grow();
        }
        PendingWrite slot = slots[(head + size) & (slots.length - 1)];
        slot.clear();
        return slot;
    }

    /**
     * Queues (unflushed) the slot handed out by the last {@link #claim()}.
     *
     * @param claimed that slot, to catch a claim that something else appended over
     */
    void commitClaimed(PendingWrite claimed) {
        PendingWrite slot = slots[(head + size) & (slots.length - 1)];
        if (slot != claimed) {
            throw new IllegalStateException("the claimed slot is no longer the tail of the queue");
        }
        size++;
        bytes += slot.length();
    }

    /** Makes every write queued so far flushable. */
    void markFlushed() {
        flushed = size;
    }

    /** @return how many writes are queued, flushed or not */
    int size() {
        return size;
    }

    /** @return how many writes at the head are flushed */
    int flushed() {
        return flushed;
    }

    /** @return the total length of the queued writes */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the oldest queued write; the queue must not be empty */
    PendingWrite head() {
        assert size > 0 : "empty queue has no head";
        return slots[head];
    }

    /** {@inheritDoc} Only flushed writes are visible, so nothing unflushed can be sent. */
    @Override
    public PendingWrite get(int index) {
        if (index < 0 || index >= flushed) {
            throw new IndexOutOfBoundsException("flushed write " + index + " of " + flushed);
        }
        return slots[(head + index) & (slots.length - 1)];
    }

    /**
     * The seed's choice: nothing flushed, nothing to do; one flushed write, or a head that must be
     * isolated after a vector error, goes out alone; more go out together.
     */
    WriteMechanism mechanism() {
        if (flushed == 0) {
            return WriteMechanism.NOTHING;
        }
        return flushed == 1 || headIsolated ? WriteMechanism.SCALAR : WriteMechanism.VECTOR;
    }

    /** The next send of the head must be a scalar one (cleared when the head leaves). */
    void isolateHead() {
        headIsolated = size > 0;
    }

    /**
     * How many flushed writes, from the head, one vector call may carry.
     *
     * @param maxMessages the most messages per call ({@code UIO_MAXIOV})
     * @param maxBytes the most bytes per call, all messages together
     * @param destinationRequired whether a write without destination cannot be sent (the channel
     *     is not connected); the batch stops before such a write
     * @return the count, or 0 when the head alone is over {@code maxBytes} (it must go out alone,
     *     so the kernel reports its own error for it)
     */
    int vectorCount(int maxMessages, long maxBytes, boolean destinationRequired) {
        int limit = Math.min(flushed, maxMessages);
        long total = 0;
        int count = 0;
        int mask = slots.length - 1;
        while (count < limit) {
            PendingWrite w = slots[(head + count) & mask];
            if (destinationRequired && w.destination() == null) {
                break;
            }
            total += w.length();
            if (total > maxBytes) {
                break;
            }
            count++;
        }
        return count;
    }

    /**
     * The first {@code count} flushed writes were sent: they leave the queue and succeed.
     *
     * @param count 0 to {@link #flushed()}
     */
    void didWrite(int count, CompletionQueue out) {
        if (count < 0 || count > flushed) {
            throw new IllegalStateException("wrote " + count + " datagrams but only " + flushed + " were offered");
        }
        for (int i = 0; i < count; i++) {
            removeHead(null, out);
        }
    }

    /** The head write failed alone (a recoverable error, or refused before sending): it leaves the queue. */
    void failHead(Throwable failure, CompletionQueue out) {
        assert size > 0 : "no head to fail";
        removeHead(failure, out);
    }

    /** Every queued write, flushed or not, fails with {@code failure}, in queue order. */
    void failAll(Throwable failure, CompletionQueue out) {
        while (size > 0) {
            removeHead(failure, out);
        }
    }

    private void removeHead(Throwable failure, CompletionQueue out) {
        PendingWrite w = slots[head];
        WriteCompletion completion = w.completion();
        bytes -= w.length();
        w.clear();
        head = (head + 1) & (slots.length - 1);
        size--;
        if (flushed > 0) {
            flushed--;
        }
        headIsolated = false;
        out.offer(completion, failure);
    }

    private void grow() {
        int capacity = slots.length;
        if (capacity >= 1 << 30) {
            throw new IllegalStateException("too many queued writes");
        }
        PendingWrite[] bigger = new PendingWrite[capacity << 1];
        for (int i = 0; i < capacity; i++) {
            bigger[i] = slots[(head + i) & (capacity - 1)];
        }
        for (int i = capacity; i < bigger.length; i++) {
            bigger[i] = new PendingWrite();
        }
        slots = bigger;
        head = 0;
    }
}
