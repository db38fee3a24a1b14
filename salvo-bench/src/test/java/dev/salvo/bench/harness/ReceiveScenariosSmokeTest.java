package dev.salvo.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two receive scenarios end to end: real child processes, C feeders, the report. */
class ReceiveScenariosSmokeTest {

    @Test
    void aReusePortReceiverIsFedByTwoFeedersAndReportsItsSplitAndSpeedUp(@TempDir Path dir) throws Exception {
        assumeTrue(Gcc.present(), "the spreading feeders are the C sender");
        BenchSettings settings = BenchSettings.defaults(true).withReceiveSide(true).withSizes(List.of(1200))
                .withTimings(0, 300, 300)
                .withContenders(List.of("salvo/recvmmsg", "salvo/recvmmsg@2", "c/recvmmsg", "c/recvmmsg@2"));

        SmokeRuns.Outcome outcome = SmokeRuns.run(settings, ContenderRegistry.standard().withLoops(2), dir);

        assertEquals(0, outcome.exitCode(), outcome.table());
        assertEquals(List.of("salvo/recvmmsg", "salvo/recvmmsg@2", "c/recvmmsg", "c/recvmmsg@2"),
                outcome.medians().stream().map(m -> m.get("impl")).toList());
        for (Map<String, Object> run : outcome.runs()) {
            assertTrue(((Number) run.get("datagrams_per_sec")).doubleValue() > 0, run.toString());
            assertTrue(run.get("loss_pct") instanceof Number, "every feeder's total is known: " + run);
        }
        assertTrue(outcome.table().contains("scaling: salvo/recvmmsg@2 is "), outcome.table());
        assertTrue(outcome.table().contains("split: salvo/recvmmsg@2 at 1200 B, share"), outcome.table());
        assertTrue(outcome.table().contains("split: c/recvmmsg@2 at 1200 B, share"), outcome.table());
        assertTrue(outcome.table().contains("scaling: c/recvmmsg@2 is "), outcome.table());
        assertTrue(outcome.table().contains("2 x c/gso"), "the table says what fed the @2 row: " + outcome.table());
        List<?> notes = (List<?>) outcome.json().get("notes");
        assertTrue(notes.stream().anyMatch(n -> n.toString().startsWith("split: salvo/recvmmsg@2")), notes.toString());
    }

    @Test
    void manySocketsRunsSalvoAndNettyOnEpollAndIoUringInATableOfItsOwn(@TempDir Path dir) throws Exception {
        assumeTrue(Gcc.present(), "the feeder spreading over the ports is the C sender");
        BenchSettings settings = BenchSettings.defaults(true).withReceiveSide(true).withSizes(List.of(64))
                .withTimings(0, 300, 300).withSockets(List.of(32));

        SmokeRuns.Outcome outcome = SmokeRuns.run(settings, dir);

        assertEquals(0, outcome.exitCode(), outcome.table());
        assertEquals(ContenderRegistry.MANY_SOCKETS_RECEIVERS,
                outcome.medians().stream().map(m -> m.get("impl")).toList());
        for (Map<String, Object> run : outcome.runs()) {
            assertEquals("32 sockets", run.get("mode"));
            assertTrue(((Number) run.get("datagrams_per_sec")).doubleValue() > 0, run.toString());
            assertTrue(((Number) run.get("cpu_s_per_million")).doubleValue() > 0, run.toString());
            assertTrue(run.get("loss_pct") instanceof Number, run.toString());
        }
        assertTrue(outcome.table().contains("many sockets: 32 sockets on one event loop"), outcome.table());
        assertTrue(outcome.table().contains("32 sockets: salvo/io_uring takes "), outcome.table());
        List<?> counts = (List<?>) ((Map<?, ?>) outcome.json().get("settings")).get("sockets");
        assertEquals(32, ((Number) counts.getFirst()).intValue());
    }
}
