package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiveSideSmokeTest {

    @Test
    void everyReceiverIsFedAndMeasuredInItsWindow(@TempDir Path dir) throws Exception {
        List<String> receivers = new ArrayList<>(List.of("jdk", "netty", "netty/recvmmsg", "netty/gro"));
        if (Gcc.present()) {
            receivers.add("c/recvmmsg");
            receivers.add("c/gro");
            receivers.add("c/recvmmsg+meta");
        }
        BenchSettings settings = BenchSettings.defaults(true).withReceiveSide(true).withSizes(List.of(1200))
                .withTimings(0, 300, 300).withContenders(receivers);

        SmokeRuns.Outcome outcome = SmokeRuns.run(settings, dir);

        assertEquals(0, outcome.exitCode(), outcome.table());
        assertEquals("receive", outcome.json().get("side"));
        assertEquals(receivers, outcome.medians().stream().map(m -> m.get("impl")).sorted(
                (a, b) -> receivers.indexOf(a) - receivers.indexOf(b)).toList());
        for (Map<String, Object> run : outcome.runs()) {
            assertTrue(((Number) run.get("datagrams_per_sec")).doubleValue() > 0, run.toString());
            assertTrue(((Number) run.get("cpu_s_per_million")).doubleValue() > 0, run.toString());
            assertTrue(run.get("gc_count") instanceof Number, run.toString());
            assertTrue(run.get("loss_pct") instanceof Number, "feeder total and receiver total are known: " + run);
            if (Gcc.present()) { // the C feeder answers the window marks
                assertTrue(((Number) run.get("window_sent")).longValue() > 0, run.toString());
                double windowLoss = ((Number) run.get("window_loss_pct")).doubleValue();
                assertTrue(windowLoss >= 0 && windowLoss <= 100, run.toString());
            }
        }
        if (Gcc.present()) {
            assertTrue(outcome.table().contains("win loss"), outcome.table());
        }
        assertTrue(outcome.table().contains("after the first datagram"), outcome.table());
    }
}
