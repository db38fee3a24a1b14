package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {
    private static final String C = "c/sendmmsg";

    @Test
    void eachFigureIsTheMedianOfItsRuns() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 100, 10),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 1, 300, 90),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 2, 200, 40)), C);

        SummaryRow jdk = rows.getFirst();
        assertEquals(1, rows.size());
        assertEquals(3, jdk.runs());
        assertEquals(200.0, jdk.datagramsPerSecond(), 1e-9);
        assertEquals(200.0 * 64 * 8 / 1e9, jdk.gbitPerSecond(), 1e-15);
        // CPU per million: 100 s/M, 300 s/M and 200 s/M; the median is 200.
        assertEquals(200.0, jdk.cpuSecondsPerMillion(), 1e-9);
    }

    @Test
    void ratiosCompareWithTheCBaselineAndTheFastestJavaPeerOfTheSameGroup() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink(C, Role.C_REFERENCE, 64, 0, 1000, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 400, 1),
                Runs.sink("netty", Role.JAVA_PEER, 64, 0, 500, 1),
                Runs.sink("salvo/vector", Role.SALVO, 64, 0, 900, 1),
                Runs.sink(C, Role.C_REFERENCE, 1200, 0, 100, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 1200, 0, 50, 1)), C);

        SummaryRow salvo = find(rows, "salvo/vector", 64);
        assertEquals(0.9, salvo.vsBaseline(), 1e-9);
        assertEquals(1.8, salvo.vsBestJava(), 1e-9);
        assertEquals(0.8, find(rows, "jdk", 64).vsBestJava(), 1e-9);
        assertEquals(1.0, find(rows, C, 64).vsBaseline(), 1e-9);
        assertEquals(0.5, find(rows, "jdk", 1200).vsBaseline(), 1e-9);
        assertEquals(1.0, find(rows, "jdk", 1200).vsBestJava(), 1e-9);
    }

    @Test
    void aCoalescingContenderIsComparedWithJavaPeersThatCoalesceAndNoOtherIs() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink("c/recvmmsg", Role.C_REFERENCE, 64, 0, 1000, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 800, 1),
                Runs.sink("netty/gro", Role.JAVA_PEER, 64, 0, 10_000, 1),
                Runs.sink("salvo/recvmmsg", Role.SALVO, 64, 0, 1000, 1),
                Runs.sink("salvo/gro", Role.SALVO, 64, 0, 30_000, 1),
                Runs.sink("salvo/io_uring-gro@2", Role.SALVO, 64, 0, 20_000, 1),
                Runs.sink("salvo/auto-gso", Role.SALVO, 1200, 0, 5000, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 1200, 0, 1000, 1)), "c/recvmmsg");

        assertEquals(1.25, find(rows, "salvo/recvmmsg", 64).vsBestJava(), 1e-9);
        assertEquals(1.0, find(rows, "jdk", 64).vsBestJava(), 1e-9);
        assertEquals(3.0, find(rows, "salvo/gro", 64).vsBestJava(), 1e-9);
        assertEquals(2.0, find(rows, "salvo/io_uring-gro@2", 64).vsBestJava(), 1e-9);
        assertEquals(1.0, find(rows, "netty/gro", 64).vsBestJava(), 1e-9);
        // No Java peer with GSO ran at 1200 B: no ratio, rather than one against a per-datagram sender.
        assertTrue(Double.isNaN(find(rows, "salvo/auto-gso", 1200).vsBestJava()));
    }

    @Test
    void aContenderCoalescesWhenAWordOfItsNameIsGroOrGso() {
        assertTrue(Summary.coalesces("salvo/gro"));
        assertTrue(Summary.coalesces("salvo/io_uring-gro"));
        assertTrue(Summary.coalesces("salvo/auto-gso"));
        assertTrue(Summary.coalesces("salvo/gro@2"));
        assertTrue(Summary.coalesces("c/gso"));
        assertTrue(!Summary.coalesces("salvo/recvmmsg"));
        assertTrue(!Summary.coalesces("salvo/groundwork"));
        assertTrue(!Summary.coalesces("netty/io_uring"));
        assertTrue(!Summary.coalesces("jdk"));
    }

    @Test
    void ratiosAreMissingWhenTheirBaselineDidNotRun() {
        List<SummaryRow> rows = Summary.of(List.of(Runs.sink("salvo/vector", Role.SALVO, 64, 0, 900, 1)), C);

        assertTrue(Double.isNaN(rows.getFirst().vsBaseline()));
        assertTrue(Double.isNaN(rows.getFirst().vsBestJava()));
    }

    @Test
    void failedRunsAreLeftOutOfTheMedians() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 100, 1),
                Measurement.failed("send", "jdk", "m", Role.JAVA_PEER, 64, "sink", 1, "crashed"),
                Measurement.failed("send", "netty", "m", Role.JAVA_PEER, 64, "sink", 0, "crashed")), C);

        assertEquals(1, rows.size());
        assertEquals(1, rows.getFirst().runs());
        assertEquals(100.0, rows.getFirst().datagramsPerSecond(), 1e-9);
    }

    @Test
    void lossIsMeasuredOnlyWhereSomethingCountedTheDatagrams() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 100, 1),
                Runs.drain("jdk", Role.JAVA_PEER, 64, 0, 100, 1000, 900)), C);

        SummaryRow sink = rows.get(0);
        SummaryRow drain = rows.get(1);
        assertEquals("sink", sink.mode());
        assertTrue(Double.isNaN(sink.lossPercent()));
        assertEquals("drain", drain.mode());
        assertEquals(10.0, drain.lossPercent(), 1e-9);
        assertEquals(100.0, drain.lost(), 1e-9);
    }

    @Test
    void windowLossIsWhatTheFeedersSentInTheWindowLessWhatTheReceiverCountedInIt() {
        // Whole run: 10,000 sent, 7,000 counted (30 % lost, most of it in the warm-up); window: 5,000 sent, 4,950 counted.
        Measurement warm = new Measurement("receive", "salvo/recvmmsg", "m", Role.SALVO, 64, "receive", 0, 4_950,
                1_000_000_000L, 1, 10_000, 7_000, 5_000, 0, 0, null);
        Measurement over = new Measurement("receive", "salvo/recvmmsg", "m", Role.SALVO, 64, "receive", 1, 5_010,
                1_000_000_000L, 1, 10_000, 7_000, 5_000, 0, 0, null);
        Measurement unknown = new Measurement("receive", "salvo/recvmmsg", "m", Role.SALVO, 64, "receive", 2, 4_000,
                1_000_000_000L, 1, 10_000, 7_000, 0, 0, null);

        assertEquals(30.0, warm.lossPercent(), 1e-9);
        assertEquals(1.0, warm.windowLossPercent(), 1e-9);
        assertEquals(0.0, over.windowLossPercent(), 1e-9, "a queue drained into the window is not negative loss");
        assertTrue(Double.isNaN(unknown.windowLossPercent()), "a Java feeder answers no marks");
        SummaryRow row = Summary.of(List.of(warm, over, unknown), C).getFirst();
        assertEquals(0.5, row.windowLossPercent(), 1e-9, "the median of the runs that measured it");
        String table = ResultTable.render(List.of(row), true, "vs C recvmmsg", ResultTable.Layout.fitted());
        assertTrue(table.contains("win loss") && table.contains("0.5"), table);
        assertTrue(Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 100, 1).windowSent() < 0, "the send side measures none");
    }

    @Test
    void rowsAreOrderedByModeThenPayloadThenFirstAppearance() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink("netty", Role.JAVA_PEER, 1200, 0, 1, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 1, 1),
                Runs.drain("jdk", Role.JAVA_PEER, 64, 0, 1, 1, 1),
                Runs.sink("netty", Role.JAVA_PEER, 64, 0, 1, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 1200, 0, 1, 1)), C);

        assertEquals(List.of("sink/64/netty", "sink/64/jdk", "sink/1200/netty", "sink/1200/jdk", "drain/64/jdk"),
                rows.stream().map(r -> r.mode() + "/" + r.payload() + "/" + r.impl()).toList());
    }

    private static SummaryRow find(List<SummaryRow> rows, String impl, int payload) {
        return rows.stream().filter(r -> r.impl().equals(impl) && r.payload() == payload).findFirst().orElseThrow();
    }
}
