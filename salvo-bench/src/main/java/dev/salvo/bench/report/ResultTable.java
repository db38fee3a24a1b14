package dev.salvo.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Renders summary rows as a plain-text table with aligned columns, for the terminal and reports. */
public final class ResultTable {
    private ResultTable() {
    }

    /**
     * @param rows          the rows, in display order
     * @param receiveSide   true for the receive-side columns (GC, no sender CPU)
     * @param baselineLabel the header of the ratio-to-C column, e.g. {@code vs C sendmmsg}
     * @return the table, one line per row plus a header and a rule, each ending with a newline
     */
    public static String render(List<SummaryRow> rows, boolean receiveSide, String baselineLabel) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(receiveSide ? "receiver" : "contender", false, SummaryRow::impl));
        columns.add(new Column("mechanism", false, SummaryRow::mechanism));
        columns.add(new Column("payload", true, r -> r.payload() + " B"));
        if (!receiveSide) {
            columns.add(new Column("mode", false, SummaryRow::mode));
        }
        columns.add(new Column("runs", true, r -> Integer.toString(r.runs())));
        columns.add(new Column("datagrams/s", true, r -> grouped(r.datagramsPerSecond())));
        columns.add(new Column("Gbit/s", true, r -> fixed(r.gbitPerSecond(), 2)));
        columns.add(new Column((receiveSide ? "receiver" : "sender") + " CPU s/M", true,
                r -> fixed(r.cpuSecondsPerMillion(), 3)));
        columns.add(new Column("loss %", true, r -> fixed(r.lossPercent(), 1)));
        if (receiveSide) {
            columns.add(new Column("GC n/ms", true, r -> Double.isNaN(r.gcCount()) ? "-"
                    : String.format(Locale.ROOT, "%.0f/%.0f", r.gcCount(), r.gcMillis())));
        }
        columns.add(new Column(baselineLabel, true, r -> times(r.vsBaseline())));
        columns.add(new Column("vs best Java", true, r -> times(r.vsBestJava())));

        int[] widths = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).header.length();
        }
        for (SummaryRow row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                line[c] = columns.get(c).value.apply(row);
                widths[c] = Math.max(widths[c], line[c].length());
            }
            cells.add(line);
        }
        StringBuilder out = new StringBuilder();
        String[] headers = columns.stream().map(Column::header).toArray(String[]::new);
        appendLine(out, columns, widths, headers);
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        out.append("-".repeat(total + 2 * (widths.length - 1))).append('\n');
        for (String[] line : cells) {
            appendLine(out, columns, widths, line);
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<Column> columns, int[] widths, String[] values) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - values[c].length());
            line.append(columns.get(c).right ? pad + values[c] : values[c] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /**
     * @param value a count or rate
     * @return the value rounded, with thousands separators, or "-" for NaN
     */
    public static String grouped(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /**
     * @param value    a figure
     * @param decimals digits after the point
     * @return the value with that many decimals, or "-" for NaN
     */
    public static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /**
     * @param ratio a ratio
     * @return e.g. {@code 0.97x}, or "-" for NaN
     */
    public static String times(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private record Column(String header, boolean right, Function<SummaryRow, String> value) {
    }
}
