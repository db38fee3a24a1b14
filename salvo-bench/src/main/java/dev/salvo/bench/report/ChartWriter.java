package dev.salvo.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws the summary as grouped bars (one group per payload size, one bar per contender, height
 * in millions of datagrams per second) into a PNG, without a display.
 */
public final class ChartWriter {
    private ChartWriter() {
    }

    /**
     * @param rows  the summary rows; with several modes each contender gets one series per mode
     * @param title the chart title
     * @param file  the PNG to write (".png" is added by XChart when missing)
     * @throws IOException when the file cannot be written
     */
    public static void writePng(List<SummaryRow> rows, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560).title(title)
                .xAxisTitle("payload").yAxisTitle("million datagrams / s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.85);
        chart.getStyler().setOverlapped(false);

        Set<Integer> payloads = new LinkedHashSet<>();
        Set<String> modes = new LinkedHashSet<>();
        for (SummaryRow row : rows) {
            payloads.add(row.payload());
            modes.add(row.mode());
        }
        List<String> categories = payloads.stream().map(p -> p + " B").toList();
        Map<String, Map<Integer, Double>> series = new LinkedHashMap<>();
        for (SummaryRow row : rows) {
            String name = modes.size() > 1 ? row.impl() + " (" + row.mode() + ")" : row.impl();
            series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(row.payload(), row.datagramsPerSecond() / 1e6);
        }
        for (Map.Entry<String, Map<Integer, Double>> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (Integer payload : payloads) {
                values.add(e.getValue().getOrDefault(payload, 0.0));
            }
            chart.addSeries(e.getKey(), categories, values);
        }
        if (series.isEmpty()) {
            chart.addSeries("no results", List.of("-"), List.of(0.0));
        }
        String name = file.toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
