package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrainModeSmokeTest {

    @Test
    void drainModeCountsWhatTheReceiverGotAndReportsLossForEverySender(@TempDir Path dir) throws Exception {
        List<String> senders = new ArrayList<>(List.of("jdk", "netty"));
        if (Gcc.present()) {
            senders.add("c/sendmmsg");
        }
        BenchSettings settings = BenchSettings.defaults(true).withSizes(List.of(64))
                .withModes(List.of(SendMode.DRAIN)).withContenders(senders);

        SmokeRuns.Outcome outcome = SmokeRuns.run(settings, dir);

        assertEquals(0, outcome.exitCode(), outcome.table());
        assertEquals(senders.size(), outcome.runs().size());
        for (Map<String, Object> run : outcome.runs()) {
            assertEquals("drain", run.get("mode"));
            assertTrue(((Number) run.get("datagrams_per_sec")).doubleValue() > 0, run.toString());
            assertNotNull(run.get("lost"), "the drain receiver counted, so loss is known: " + run);
            double received = ((Number) run.get("received_total")).doubleValue();
            assertTrue(received > 0 && received <= ((Number) run.get("sent_total")).doubleValue(), run.toString());
        }
        assertTrue(outcome.table().contains("loss %"));
    }

    @Test
    void quickRunSaysItIsASmokeRunShowsNoRatiosAndLogsOverallProgressPerRun(@TempDir Path dir) throws Exception {
        BenchSettings settings = BenchSettings.defaults(true).withSizes(List.of(64)).withContenders(List.of("jdk", "netty"));

        SmokeRuns.Outcome outcome = SmokeRuns.run(settings, dir);

        assertEquals(0, outcome.exitCode(), outcome.table());
        List<String> table = outcome.table().strip().lines().toList();
        assertEquals(BenchRunner.QUICK_HEADER, table.getFirst(), outcome.table());
        String header = table.stream().filter(l -> l.startsWith("contender")).findFirst().orElseThrow();
        assertTrue(!header.contains("vs C") && !header.contains("vs Java") && !header.contains("vs best"), header);
        assertTrue(outcome.table().contains(BenchRunner.QUICK_NOTE), outcome.table());
        List<String> tableAndLegend = table.subList(table.indexOf(header), table.size()).stream()
                .filter(l -> !l.startsWith("note: sink mode")).toList();
        assertTrue(tableAndLegend.stream().allMatch(l -> l.length() <= 120), "fits 120 columns: " + tableAndLegend);
        assertTrue(outcome.log().contains("salvo bench: " + BenchRunner.QUICK_HEADER), outcome.log());
        // One line per run (not a terminal), each with the overall progress.
        List<String> runLines = outcome.log().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(2, runLines.size(), outcome.log());
        assertTrue(runLines.get(0).matches("\\[1/2] jdk 64 B sink run 1: [\\d,]+ datagrams/s"
                + " \\(1/2 runs done, \\d+:\\d\\d elapsed, about \\d+:\\d\\d left\\)"), runLines.get(0));
        assertTrue(runLines.get(1).contains(" (2/2 runs done, "), runLines.get(1));
        assertTrue(runLines.get(1).endsWith("about 0:00 left)"), runLines.get(1));
        assertTrue(!outcome.log().contains("\r"), "no redraws in a log");
    }
}
