package dev.salvo.write;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pending bytes and datagrams of one write queue, and its writability, in one atomic word so
 * that any thread can count a write at the moment it is made and every reader sees one exact
 * state: the bytes and datagrams of every write counted and not yet completed, whether it is
 * queued on the loop or still on its way there.
 *
 * <p>The word packs three fields: pending bytes (36 bits, so at most {@link #MAX_BYTES}), pending
 * datagrams (24 bits, at most {@link #MAX_DATAGRAMS}) and a flip counter (4 bits). Each update is
 * one compare-and-set that also applies the water marks with hysteresis (above high: unwritable;
 * below low, or nothing pending: writable), so a flip belongs to exactly one update. The counter
 * is odd while unwritable; whoever reports flips (the loop) walks from the last value it reported
 * to the current one, which yields every flip once and in order. Only an update on the loop can
 * make the channel writable again (it is the one that completes writes), so between two reports
 * at most one flip happens elsewhere and 16 values are plenty.
 */
final class PendingAccount {
    /** The most bytes that can be pending at once, whatever the bound. */
    static final long MAX_BYTES = (1L << 36) - 1;
    /** The most datagrams that can be pending at once. */
    static final int MAX_DATAGRAMS = (1 << 24) - 1;
    static final int FLIP_MASK = 0xF;

    private static final int COUNT_SHIFT = 4;
    private static final int BYTES_SHIFT = 28;

    /** What {@link #tryAdd} returns when the write does not fit. */
    static final long REFUSED = -1;

    /**
     * Both marks and the bound in one immutable value: one volatile read per update, and a reader
     * never sees one old and one new.
     */
    private record Limits(int low, int high, long bound) {
    }

    private final AtomicLong state = new AtomicLong();
    private volatile Limits limits = new Limits(PendingDatagramWritesManager.DEFAULT_LOW_WATER_MARK,
            PendingDatagramWritesManager.DEFAULT_HIGH_WATER_MARK, MAX_BYTES);

    /** @return pending bytes; any thread */
    long bytes() {
        return state.get() >>> BYTES_SHIFT;
    }

    /** @return pending datagrams; any thread */
    int datagrams() {
        return (int) ((state.get() >>> COUNT_SHIFT) & MAX_DATAGRAMS);
    }

    /** @return the whole word, for {@link #flips(long)} and {@link #writable(long)} without another read */
    long state() {
        return state.get();
    }

    /** @return the flip counter of a state word, modulo 16; even while writable */
    static int flips(long state) {
        return (int) (state & FLIP_MASK);
    }

    /** @return whether a state word says writable */
    static boolean writable(long state) {
        return (state & 1) == 0;
    }

    /** @return whether the pending bytes allow more writes; any thread */
    boolean writable() {
        return writable(state.get());
    }

    int lowWaterMark() {
        return limits.low();
    }

    int highWaterMark() {
        return limits.high();
    }

    /** @return the bound on pending bytes, at most {@link #MAX_BYTES} */
    long bound() {
        return limits.bound();
    }

    /** Sets the marks and re-applies them to the current count (a flip if they now say so). */
    void setMarks(int low, int high) {
        limits = new Limits(low, high, limits.bound());
        update(0, 0);
    }

    /** Sets the bound on pending bytes (capped at {@link #MAX_BYTES}); pending writes stay. */
    void setBound(long bound) {
        Limits l = limits;
        limits = new Limits(l.low(), l.high(), Math.min(bound, MAX_BYTES));
    }

    /**
     * Counts one more pending write, unless it would take the pending bytes past the bound (or
     * the datagrams past what the word can hold); any thread.
     *
     * @return the new state word, or {@link #REFUSED}
     */
    long tryAdd(long length) {
        return update(length, 1);
    }

    /** Adjusts the bytes of a counted write whose length changed before it was queued; loop thread. */
    void adjust(long delta) {
        update(delta, 0);
    }

    /** Writes left (sent, failed, or never queued): they stop counting; any thread. */
    void release(long length, int count) {
        if (length != 0 || count != 0) {
            update(-length, -count);
        }
    }

    /** @return the new state word, or {@link #REFUSED} (only an added write can be refused) */
    private long update(long deltaBytes, int deltaCount) {
        Limits l = limits;
        while (true) {
            long s = state.get();
            long bytes = (s >>> BYTES_SHIFT) + deltaBytes;
            long count = ((s >>> COUNT_SHIFT) & MAX_DATAGRAMS) + deltaCount;
            if (deltaCount > 0 && (bytes > l.bound() || count > MAX_DATAGRAMS)) {
                return REFUSED;
            }
            assert bytes >= 0 && count >= 0 && bytes <= MAX_BYTES : "pending count out of range";
            int flips = (int) (s & FLIP_MASK);
            if ((flips & 1) == 0 ? bytes > l.high() : bytes < l.low() || count == 0) {
                flips = (flips + 1) & FLIP_MASK;
            }
            long next = bytes << BYTES_SHIFT | count << COUNT_SHIFT | flips;
            if (next == s || state.compareAndSet(s, next)) {
                return next;
            }
        }
    }
}
