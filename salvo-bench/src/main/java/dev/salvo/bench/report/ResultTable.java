package dev.salvo.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders summary rows as a plain-text table with aligned columns, for the terminal and reports.
 *
 * <p>Two layouts: {@linkplain Layout#full() wide}, every column under its full header (152 columns
 * for the default send side, 167 for the receive side), and {@linkplain Layout#fitted() narrow},
 * the default, which fits {@value #NARROW_WIDTH} columns by moving the mechanism to a legend under
 * the table ({@link #legend}) and shortening the headers. Either may leave the ratio columns out,
 * as quick smoke runs do: their figures are not comparisons.
 */
public final class ResultTable {
    /** The width the narrow layout keeps to. */
    public static final int NARROW_WIDTH = 120;

    /**
     * How to lay the table out.
     *
     * @param wide   true for every column with its full header, false to fit {@value #NARROW_WIDTH} columns
     * @param ratios false to leave out the ratio columns (vs C, vs best Java)
     */
    public record Layout(boolean wide, boolean ratios) {
        /** @return every column, full headers: the table as it always was */
        public static Layout full() {
            return new Layout(true, true);
        }

        /** @return the narrow default: no mechanism column (see the legend), short headers */
        public static Layout fitted() {
            return new Layout(false, true);
        }

        /** @return this layout without the ratio columns */
        public Layout withoutRatios() {
            return new Layout(wide, false);
        }
    }

    private ResultTable() {
    }

    /**
     * @param rows          the rows, in display order
     * @param receiveSide   true for the receive-side columns (GC, no sender CPU)
     * @param baselineLabel the header of the ratio-to-C column, e.g. {@code vs C sendmmsg}
     * @return the table, one line per row plus a header and a rule, each ending with a newline
     */
    public static String render(List<SummaryRow> rows, boolean receiveSide, String baselineLabel) {
        return render(rows, receiveSide, baselineLabel, Layout.full());
    }

    /**
     * @param rows          the rows, in display order
     * @param receiveSide   true for the receive-side columns (GC, no sender CPU)
     * @param baselineLabel the wide header of the ratio-to-C column, e.g. {@code vs C sendmmsg}
     * @param layout        wide or narrow, with or without ratios
     * @return the table, one line per row plus a header and a rule, each ending with a newline
     */
    public static String render(List<SummaryRow> rows, boolean receiveSide, String baselineLabel, Layout layout) {
        boolean wide = layout.wide();
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(receiveSide ? "receiver" : "contender", false, SummaryRow::impl));
        if (wide) {
            columns.add(new Column("mechanism", false, SummaryRow::mechanism));
        }
        columns.add(new Column("payload", true, r -> r.payload() + " B"));
        if (!receiveSide) {
            columns.add(new Column("mode", false, SummaryRow::mode));
        }
        columns.add(new Column("runs", true, r -> Integer.toString(r.runs())));
        columns.add(new Column("datagrams/s", true, r -> grouped(r.datagramsPerSecond())));
        columns.add(new Column("Gbit/s", true, r -> fixed(r.gbitPerSecond(), 2)));
        columns.add(new Column(wide ? (receiveSide ? "receiver" : "sender") + " CPU s/M" : "CPU s/M", true,
                r -> fixed(r.cpuSecondsPerMillion(), 3)));
        columns.add(new Column("loss %", true, r -> fixed(r.lossPercent(), 1)));
        if (receiveSide) {
            columns.add(new Column(wide ? "window loss %" : "win loss", true, r -> fixed(r.windowLossPercent(), 1)));
            columns.add(new Column("GC n/ms", true, r -> Double.isNaN(r.gcCount()) ? "-"
                    : String.format(Locale.ROOT, "%.0f/%.0f", r.gcCount(), r.gcMillis())));
        }
        if (layout.ratios()) {
            columns.add(new Column(wide ? baselineLabel : "vs C", true, r -> times(r.vsBaseline())));
            columns.add(new Column(wide ? "vs best Java" : "vs Java", true, r -> times(r.vsBestJava())));
        }

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
     * What the narrow layout leaves out: each contender's mechanism, and the short headers spelled
     * out. Empty for the wide layout, which shows it all in the table.
     *
     * @param rows         the rows the table shows
     * @param receiveSide  true for the receive side
     * @param baselineName the C baseline's name, e.g. {@code c/sendmmsg}
     * @param layout       the layout the table was rendered with
     * @return lines to print under the table, each ending with a newline
     */
    public static String legend(List<SummaryRow> rows, boolean receiveSide, String baselineName, Layout layout) {
        if (layout.wide()) {
            return "";
        }
        Map<String, String> mechanisms = new LinkedHashMap<>();
        for (SummaryRow row : rows) {
            mechanisms.putIfAbsent(row.impl(), row.mechanism());
        }
        int width = mechanisms.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        out.append("mechanisms:\n");
        mechanisms.forEach((impl, mechanism) -> out.append("  ").append(impl)
                .append(" ".repeat(width - impl.length())).append("  ").append(mechanism).append('\n'));
        out.append("columns: CPU s/M = ").append(receiveSide ? "receiver" : "sender")
                .append(" CPU seconds per million datagrams\n");
        if (layout.ratios()) {
            out.append("         vs C = datagrams/s relative to ").append(baselineName)
                    .append("; vs Java = relative to the best Java peer (jdk, netty)\n")
                    .append("         of the same kind: GRO/GSO rows against Java peers with GRO/GSO, the others against those without\n");
        }
        out.append("         --wide shows the mechanism and the full headers in the table\n");
        return out.toString();
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
