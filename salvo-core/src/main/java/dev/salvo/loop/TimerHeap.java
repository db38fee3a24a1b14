package dev.salvo.loop;

import java.util.Arrays;

/**
 * The loop's pending timers: a binary min-heap ordered by deadline, ties by arming sequence
 * number. Entries are reusable objects that remember their own heap slot, so re-arming an armed
 * entry moves it in place and cancelling removes it in O(log n), and neither allocates. The slot
 * array grows by doubling only when more entries are armed at once than ever before.
 *
 * <p>Not thread-safe: one event loop owns it.
 */
final class TimerHeap {
    /** What the heap holds; its three fields belong to the heap. */
    abstract static class Entry {
        /** Position in the heap's array, or -1 when not armed. */
        int heapIndex = -1;
        long deadline;
        long seq;

        /** @return whether the entry is in a heap */
        final boolean inHeap() {
            return heapIndex >= 0;
        }
    }

    private static final int INITIAL_CAPACITY = 16;

    private Entry[] slots = new Entry[INITIAL_CAPACITY];
    private int size;

    /** @return how many entries are armed */
    int size() {
        return size;
    }

    /** @return the entry with the earliest deadline (ties: lowest sequence), or null */
    Entry peek() {
        return size == 0 ? null : slots[0];
    }

    /**
     * Arms an entry, or moves it when it is already armed.
     *
     * @param e the entry, of this heap or of none
     * @param deadline its new deadline
     * @param seq its arming sequence number; later arming gets a higher number
     */
    void schedule(Entry e, long deadline, long seq) {
        e.deadline = deadline;
        e.seq = seq;
        int i = e.heapIndex;
        if (i < 0) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size << 1);
            }
            i = size++;
            slots[i] = e;
            e.heapIndex = i;
            siftUp(i);
        } else if (!siftUp(i)) {
            siftDown(i);
        }
    }

    /**
     * Disarms an entry.
     *
     * @param e the entry
     * @return whether it was armed
     */
    boolean remove(Entry e) {
        int i = e.heapIndex;
        if (i < 0) {
            return false;
        }
        assert slots[i] == e : "entry belongs to another heap";
        int last = --size;
        Entry moved = slots[last];
        slots[last] = null;
        e.heapIndex = -1;
        if (i != last) {
            slots[i] = moved;
            moved.heapIndex = i;
            if (!siftUp(i)) {
                siftDown(i);
            }
        }
        return true;
    }

    /** @return the earliest entry, disarmed, or null when the heap is empty */
    Entry poll() {
        Entry top = peek();
        if (top != null) {
            remove(top);
        }
        return top;
    }

    /** Disarms every entry. */
    void clear() {
        for (int i = 0; i < size; i++) {
            slots[i].heapIndex = -1;
            slots[i] = null;
        }
        size = 0;
    }

    private static boolean before(Entry a, Entry b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    /** @return whether the entry moved */
    private boolean siftUp(int i) {
        Entry e = slots[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = slots[parent];
            if (!before(e, p)) {
                break;
            }
            slots[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        slots[i] = e;
        e.heapIndex = i;
        return i != start;
    }

    private void siftDown(int i) {
        Entry e = slots[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(slots[right], slots[child])) {
                child = right;
            }
            if (!before(slots[child], e)) {
                break;
            }
            slots[i] = slots[child];
            slots[i].heapIndex = i;
            i = child;
        }
        slots[i] = e;
        e.heapIndex = i;
    }
}
