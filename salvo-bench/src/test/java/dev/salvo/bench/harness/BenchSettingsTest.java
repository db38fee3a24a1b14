package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSettingsTest {

    @Test
    void defaultsAreBothSizesInSinkModeWithThreeRuns() {
        BenchSettings s = BenchSettings.defaults(false);

        assertEquals(List.of(64, 1200), s.sizes());
        assertEquals(List.of(SendMode.SINK), s.modes());
        assertEquals(3, s.runs());
        assertEquals(1000, s.warmupMillis());
        assertEquals(3000, s.windowMillis());
        assertEquals(5000, s.settleMillis());
    }

    @Test
    void quickRunsEveryContenderOnceWithShortWindows() {
        BenchSettings s = BenchSettings.defaults(true);

        assertEquals(List.of(64, 1200), s.sizes());
        assertEquals(1, s.runs());
        assertTrue(s.warmupMillis() <= 300 && s.windowMillis() <= 1000 && s.settleMillis() <= 500);
        assertEquals(true, s.toJson().get("quick"));
    }

    @Test
    void impossiblePayloadSizesAreRejected() {
        BenchSettings s = BenchSettings.defaults(false);

        assertThrows(IllegalArgumentException.class, () -> s.withSizes(List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> s.withSizes(List.of(BenchSettings.MAX_PAYLOAD + 1)));
        assertThrows(IllegalArgumentException.class, () -> s.withSizes(List.of()));
        assertEquals(List.of(1, BenchSettings.MAX_PAYLOAD), s.withSizes(List.of(1, BenchSettings.MAX_PAYLOAD)).sizes());
    }

    @Test
    void runCountsAndTimingsOutsideTheirRangeAreRejected() {
        BenchSettings s = BenchSettings.defaults(false);

        assertThrows(IllegalArgumentException.class, () -> s.withRuns(0));
        assertThrows(IllegalArgumentException.class, () -> s.withTimings(-1, 3000, 0));
        assertThrows(IllegalArgumentException.class, () -> s.withTimings(0, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> s.withTimings(0, 3000, 600_000));
    }

    @Test
    void modesParseFromTheirNamesInAnyCase() {
        assertEquals(SendMode.DRAIN, SendMode.parse(" Drain "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SendMode.parse("flood"));
        assertTrue(e.getMessage().contains("sink or drain"));
    }

    @Test
    void anEmptyContenderListMeansAll() {
        BenchSettings s = BenchSettings.defaults(false);

        assertTrue(s.wants("netty"));
        assertTrue(s.withContenders(List.of("jdk")).wants("jdk"));
        assertTrue(!s.withContenders(List.of("jdk")).wants("netty"));
    }
}
