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

    /** The default contenders with their real mechanisms and figures of the README's size. */
    private static List<SummaryRow> fullRows(boolean receive) {
        String[][] contenders = receive ? new String[][] {
            {"salvo/recvmmsg", "recvmmsg via FFM, 64 per call"},
            {"salvo/gro", "recvmmsg x8 + UDP_GRO, split"},
            {"salvo/one-per-call", "READ_BATCH_SIZE 1: one datagram per call"},
            {"salvo/recvmmsg+meta", "recvmmsg x64, ECN + packet info + timestamps"},
            {"ffm/recvmmsg", "bare FFM loop: blocking recvmmsg x64, no event loop"},
            {"c/recvmmsg", "recvmmsg, 64 per call"},
            {"c/gro", "recvmmsg x8 + UDP_GRO"},
            {"jdk", "DatagramChannel.receive, blocking"},
            {"netty", "epoll defaults -> recvmsg"},
            {"netty/recvmmsg", "epoll MAX_DATAGRAM_PAYLOAD_SIZE -> recvmmsg x64"},
            {"netty/gro", "epoll UDP_GRO, 64 KiB buffer -> recvmsg"}}
            : new String[][] {
            {"salvo/vector", "sendmmsg via FFM, flush per 64"},
            {"salvo/scalar", "sendmsg via FFM, flush per datagram"},
            {"salvo/gso", "explicit GSO (UDP_SEGMENT), <=64 segments"},
            {"salvo/auto-gso", "GSO_AUTO coalescing, flush per 1024"},
            {"c/sendmmsg", "sendmmsg, 64 per call"},
            {"c/gso", "GSO (UDP_SEGMENT), <=64 segments"},
            {"jdk", "DatagramChannel.send, blocking"},
            {"netty", "epoll, flush per 64 -> sendmmsg"}};
        List<Measurement> runs = new java.util.ArrayList<>();
        for (int size : new int[] {64, 1200}) {
            for (String[] c : contenders) {
                Role role = c[0].startsWith("c/") ? Role.C_REFERENCE : c[0].startsWith("salvo") || c[0].startsWith("ffm/") ? Role.SALVO : Role.JAVA_PEER;
                for (int run = 0; run < 3; run++) {
                    runs.add(receive
                            ? new Measurement("receive", c[0], c[1], role, size, "receive", run, 12_944_388L * 3,
                                    3_000_000_000L, 2_000_000_000L, 40_000_000L, 36_000_000L, 17, 146, null)
                            : new Measurement("send", c[0], c[1], role, size, "sink", run, 1_947_432L * 3,
                                    3_000_000_000L, 2_000_000_000L, 1_947_432L * 3, -1, 0, 0, null));
                }
            }
        }
        return Summary.of(runs, receive ? "c/recvmmsg" : "c/sendmmsg");
    }

    @Test
    void defaultLayoutFits120ColumnsWithTheMechanismsInALegendAndWideIsTheFullTable() {
        for (boolean receive : new boolean[] {false, true}) {
            List<SummaryRow> rows = fullRows(receive);
            String baseline = receive ? "c/recvmmsg" : "c/sendmmsg";
            String label = receive ? "vs C recvmmsg" : "vs C sendmmsg";

            String fitted = ResultTable.render(rows, receive, label, ResultTable.Layout.fitted())
                    + ResultTable.legend(rows, receive, baseline, ResultTable.Layout.fitted());
            String wide = ResultTable.render(rows, receive, label, ResultTable.Layout.full());

            for (String line : fitted.split("\n")) {
                assertTrue(line.length() <= ResultTable.NARROW_WIDTH, line.length() + ": " + line);
            }
            assertTrue(wide.lines().mapToInt(String::length).max().orElseThrow() > 150, "the full table is as wide as before");
            assertEquals(ResultTable.render(rows, receive, label), wide, "--wide prints the table as it always was");
            assertEquals("", ResultTable.legend(rows, receive, baseline, ResultTable.Layout.full()));
            assertTrue(wide.contains("mechanism") && !fitted.lines().findFirst().orElseThrow().contains("mechanism"));
            assertTrue(fitted.contains("\nmechanisms:\n"), fitted);
            assertTrue(fitted.contains(receive ? "  salvo/one-per-call   READ_BATCH_SIZE 1: one datagram per call\n"
                    : "  salvo/gso       explicit GSO (UDP_SEGMENT), <=64 segments\n"), fitted);
            assertTrue(fitted.contains("vs C = datagrams/s relative to " + baseline), fitted);
        }
    }

    @Test
    void withoutRatiosTheRatioColumnsAreGone() {
        List<SummaryRow> rows = fullRows(false);
        for (ResultTable.Layout layout : List.of(ResultTable.Layout.fitted(), ResultTable.Layout.full())) {
            String table = ResultTable.render(rows, false, "vs C sendmmsg", layout.withoutRatios());
            assertTrue(!table.contains("vs C") && !table.contains("vs Java") && !table.contains("vs best"), table);
            assertTrue(!table.contains("x\n") && !table.matches("(?s).*\\d\\.\\d\\dx.*"), table);
            assertTrue(table.contains("datagrams/s"), table);
            assertTrue(!ResultTable.legend(rows, false, "c/sendmmsg", layout.withoutRatios()).contains("vs C"));
        }
    }
}
