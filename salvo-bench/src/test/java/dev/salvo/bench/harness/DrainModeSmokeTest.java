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
}
