package dev.salvo.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A socket counts as busy exactly when its last {@link BusyStreak#READS} reads all stopped at the budget. */
class BusyStreakPropertyTest {
    @Property(tries = 2000)
    void busyIffTheLastReadsAllLeftDatagrams(@ForAll @Size(max = 40) List<Boolean> drainedInTurn) {
        BusyStreak streak = new BusyStreak();
        for (int i = 0; i < drainedInTurn.size(); i++) {
            boolean busy = streak.afterRead(drainedInTurn.get(i));
            boolean model = i + 1 >= BusyStreak.READS
                    && drainedInTurn.subList(i + 1 - BusyStreak.READS, i + 1).stream().noneMatch(d -> d);
            assertEquals(model, busy, "after read " + i + " of " + drainedInTurn);
        }
    }

    @Test
    void aLongSpellStaysBusyUntilAReadEmptiesTheSocket() {
        BusyStreak streak = new BusyStreak();
        for (int i = 1; i < BusyStreak.READS; i++) {
            assertFalse(streak.afterRead(false), "read " + i + " of a burst: still watched by the poller");
        }
        for (int i = 0; i < 1000; i++) {
            assertTrue(streak.afterRead(false));
        }
        assertFalse(streak.afterRead(true));
        assertFalse(streak.afterRead(false), "a new streak starts from nothing");
    }
}
