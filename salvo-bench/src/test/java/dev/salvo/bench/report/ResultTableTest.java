package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    @Test
    void sendTableHasOneAlignedLinePerRowUnderAHeaderAndARule() {
        List<SummaryRow> rows = Summary.of(List.of(
                Runs.sink("c/sendmmsg", Role.C_REFERENCE, 64, 0, 2_000_000, 1000),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 1_000_000, 1500)), "c/sendmmsg");

        String[] lines = ResultTable.render(rows, false, "vs C sendmmsg").split("\n");

        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("contender"));
        assertTrue(lines[0].contains("vs C sendmmsg") && lines[0].contains("vs best Java"));
        assertTrue(lines[1].matches("-+"));
        assertTrue(lines[2].startsWith("c/sendmmsg"));
        assertTrue(lines[3].contains("1,000,000"), lines[3]);
        assertTrue(lines[3].contains("1.500"), "CPU s per million: " + lines[3]);
        assertTrue(lines[3].contains("0.50x"), lines[3]);
        // Right-aligned numbers end in the same column on every line.
        assertEquals(lines[0].length(), lines[2].length());
        assertEquals(lines[0].length(), lines[3].length());
    }

    @Test
    void missingFiguresShowAsADash() {
        List<SummaryRow> rows = Summary.of(List.of(Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 10, 1)), "c/sendmmsg");

        String row = ResultTable.render(rows, false, "vs C sendmmsg").split("\n")[2];

        // loss % (sink) and the ratio to C (no C run) are not measured.
        assertEquals(2, java.util.Arrays.stream(row.split("\\s+")).filter("-"::equals).count(), row);
    }

    @Test
    void receiveTableShowsGcAndNoMode() {
        Measurement m = new Measurement("receive", "jdk", "m", Role.JAVA_PEER, 64, "receive", 0, 1000, 1_000_000_000L,
                1_000_000L, 2000, 1500, 3, 12, null);

        String table = ResultTable.render(Summary.of(List.of(m), "c/recvmmsg"), true, "vs C recvmmsg");

        assertTrue(table.startsWith("receiver"));
        assertTrue(table.contains("GC n/ms") && table.contains("3/12"), table);
        assertTrue(table.contains("25.0"), "loss %: " + table);
        assertTrue(!table.contains(" mode "), table);
    }

    @Test
    void numbersAreFormattedTheSameInEveryLocale() {
        assertEquals("1,234,568", ResultTable.grouped(1_234_567.8));
        assertEquals("0.12", ResultTable.fixed(0.123, 2));
        assertEquals("1.25x", ResultTable.times(1.25));
        assertEquals("-", ResultTable.times(Double.NaN));
    }
}
