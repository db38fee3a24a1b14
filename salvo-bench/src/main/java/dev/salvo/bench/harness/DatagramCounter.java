package dev.salvo.bench.harness;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count with one writer thread and any number of readers, for receivers to publish progress.
 * The writer pays a plain store (release ordering), not a locked add, so counting stays out of
 * the measured cost.
 */
public final class DatagramCounter {
    private final AtomicLong value = new AtomicLong();

    /** Creates a counter at zero. */
    public DatagramCounter() {
    }

    /**
     * Adds to the count. Only ever call this from one thread.
     *
     * @param datagrams how many more arrived
     */
    public void add(long datagrams) {
        value.lazySet(value.getPlain() + datagrams);
    }

    /** @return the count, readable from any thread */
    public long get() {
        return value.get();
    }
}
