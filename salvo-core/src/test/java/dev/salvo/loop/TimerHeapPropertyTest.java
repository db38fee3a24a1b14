package dev.salvo.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The timer heap against a model (a sorted set by deadline, then arming sequence): any mix of
 * arm, re-arm, cancel and fire leaves the same armed set, and entries come out in deadline order
 * with ties in arming order.
 */
class TimerHeapPropertyTest {
    private static final int ENTRIES = 12;

    /** One operation on entry {@code entry}; deadlines come from a small range so that ties are common. */
    record Op(int kind, int entry, long deadline) {
        static final int ARM = 0;
        static final int CANCEL = 1;
        static final int FIRE = 2;
    }

    static final class E extends TimerHeap.Entry {
        final int id;

        E(int id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "E" + id + "@" + deadline + "#" + seq;
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, ENTRIES - 1),
                Arbitraries.longs().between(-5, 20)).as(Op::new);
        return op.list().ofMaxSize(200);
    }

    @Property(tries = 500)
    void heapMatchesTheSortedModel(@ForAll("ops") List<Op> ops) {
        TimerHeap heap = new TimerHeap();
        E[] entries = new E[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            entries[i] = new E(i);
        }
        // The model keeps (deadline, seq) copies, since the heap owns the entries' fields.
        TreeSet<long[]> model = new TreeSet<>(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        long[][] modelKey = new long[ENTRIES][];
        long seq = 0;
        for (Op op : ops) {
            E e = entries[op.entry()];
            switch (op.kind()) {
                case Op.ARM -> {
                    if (modelKey[op.entry()] != null) {
                        model.remove(modelKey[op.entry()]);
                    }
                    modelKey[op.entry()] = new long[] {op.deadline(), seq, op.entry()};
                    model.add(modelKey[op.entry()]);
                    heap.schedule(e, op.deadline(), seq++);
                }
                case Op.CANCEL -> {
                    boolean wasArmed = modelKey[op.entry()] != null;
                    if (wasArmed) {
                        model.remove(modelKey[op.entry()]);
                        modelKey[op.entry()] = null;
                    }
                    assertEquals(wasArmed, heap.remove(e), "cancel reports whether it was armed");
                }
                default -> {
                    long[] first = model.pollFirst();
                    TimerHeap.Entry fired = heap.poll();
                    if (first == null) {
                        assertNull(fired);
                    } else {
                        modelKey[(int) first[2]] = null;
                        assertSame(entries[(int) first[2]], fired, "fires the earliest deadline, ties in arming order");
                        assertEquals(-1, fired.heapIndex);
                    }
                }
            }
            assertEquals(model.size(), heap.size());
            for (int i = 0; i < ENTRIES; i++) {
                assertEquals(modelKey[i] != null, entries[i].inHeap(), "armed state of entry " + i);
            }
        }
        // Draining what is left gives the model's order exactly.
        List<Integer> drained = new ArrayList<>();
        for (TimerHeap.Entry x; (x = heap.poll()) != null; ) {
            drained.add(((E) x).id);
        }
        List<Integer> expected = model.stream().map(k -> (int) k[2]).toList();
        assertEquals(expected, drained);
    }

    @Test
    void reArmingMovesAnEntryBothWays() {
        TimerHeap heap = new TimerHeap();
        List<E> es = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            E e = new E(i);
            es.add(e);
            heap.schedule(e, 1000 + i, i);
        }
        heap.schedule(es.get(50), 1, 100);      // earlier: moves to the top
        heap.schedule(es.get(0), 5000, 101);    // later: sinks to the bottom
        assertSame(es.get(50), heap.poll());
        E last = null;
        for (TimerHeap.Entry x; (x = heap.poll()) != null; ) {
            last = (E) x;
        }
        assertSame(es.get(0), last);
    }
}
