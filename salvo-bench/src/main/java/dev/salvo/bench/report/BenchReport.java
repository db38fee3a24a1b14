package dev.salvo.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code salvo bench} invocation measured, and its JSON form ({@code --json}).
 *
 * <p>The JSON document ({@value #SCHEMA}) is one object:
 * <pre>
 * schema       "salvo-bench/1"
 * side         "send" or "receive"
 * partial      true when the run was interrupted (Ctrl-C) before the plan finished
 * baseline     the contender the vs_c_baseline ratios are relative to (c/sendmmsg or c/recvmmsg)
 * environment  {cpu, cores, kernel, os, java, jvm}
 * settings     {sizes, modes, runs, warmup_ms, window_ms, settle_ms, quick}
 * notes        [text]: skipped contenders, failures, how the window was cut
 * runs         [one object per run]: side, impl, mechanism, role, payload, mode, run (index from 0),
 *              ok, error, datagrams, elapsed_ns, cpu_ns, datagrams_per_sec, gbit_per_sec,
 *              cpu_s_per_million, sent_total, received_total, lost, loss_pct, window_sent,
 *              window_loss_pct, gc_count, gc_ms
 * medians      [one object per impl, payload and mode]: side, impl, mechanism, role, payload, mode,
 *              runs (successful runs used), datagrams_per_sec, gbit_per_sec, cpu_s_per_million,
 *              lost, loss_pct, window_loss_pct, gc_count, gc_ms, vs_c_baseline, vs_best_java
 * </pre>
 * A figure that was not measured (loss in sink mode, a ratio without its baseline) is null.
 *
 * @param side        send or receive
 * @param partial     true when interrupted
 * @param baseline    the C baseline's name
 * @param environment the machine
 * @param settings    the settings used
 * @param notes       notes for the reader
 * @param runs        every run
 * @param medians     the summary rows
 */
public record BenchReport(String side, boolean partial, String baseline, Map<String, Object> environment,
                          Map<String, Object> settings, List<String> notes, List<Measurement> runs,
                          List<SummaryRow> medians) {
    /** The value of the {@code schema} member. */
    public static final String SCHEMA = "salvo-bench/1";

    /** Copies the collections. */
    public BenchReport {
        environment = new LinkedHashMap<>(environment);
        settings = new LinkedHashMap<>(settings);
        notes = List.copyOf(notes);
        runs = List.copyOf(runs);
        medians = List.copyOf(medians);
    }

    /** @return the JSON document as nested maps and lists */
    public Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("side", side);
        doc.put("partial", partial);
        doc.put("baseline", baseline);
        doc.put("environment", environment);
        doc.put("settings", settings);
        doc.put("notes", notes);
        List<Object> runList = new ArrayList<>();
        for (Measurement m : runs) {
            runList.add(runJson(m));
        }
        doc.put("runs", runList);
        List<Object> medianList = new ArrayList<>();
        for (SummaryRow r : medians) {
            medianList.add(medianJson(r));
        }
        doc.put("medians", medianList);
        return doc;
    }

    /**
     * Writes {@link #toJson()} to a file, indented.
     *
     * @param file the destination; its directory must exist
     * @throws IOException when it cannot be written
     */
    public void writeJson(Path file) throws IOException {
        Files.writeString(file, Json.writePretty(toJson()), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> runJson(Measurement m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("side", m.side());
        o.put("impl", m.impl());
        o.put("mechanism", m.mechanism());
        o.put("role", m.role().name().toLowerCase(java.util.Locale.ROOT));
        o.put("payload", m.payload());
        o.put("mode", m.mode());
        o.put("run", m.run());
        o.put("ok", m.ok());
        o.put("error", m.error());
        o.put("datagrams", m.datagrams());
        o.put("elapsed_ns", m.elapsedNanos());
        o.put("cpu_ns", m.cpuNanos());
        o.put("datagrams_per_sec", m.datagramsPerSecond());
        o.put("gbit_per_sec", m.gbitPerSecond());
        o.put("cpu_s_per_million", m.cpuSecondsPerMillion());
        o.put("sent_total", m.sentTotal() >= 0 ? m.sentTotal() : null);
        o.put("received_total", m.receivedTotal() >= 0 ? m.receivedTotal() : null);
        o.put("lost", m.lost() >= 0 ? m.lost() : null);
        o.put("loss_pct", m.lossPercent());
        o.put("window_sent", m.windowSent() >= 0 ? m.windowSent() : null);
        o.put("window_loss_pct", m.windowLossPercent());
        o.put("gc_count", m.gcCount());
        o.put("gc_ms", m.gcMillis());
        return o;
    }

    private static Map<String, Object> medianJson(SummaryRow r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("side", r.side());
        o.put("impl", r.impl());
        o.put("mechanism", r.mechanism());
        o.put("role", r.role().name().toLowerCase(java.util.Locale.ROOT));
        o.put("payload", r.payload());
        o.put("mode", r.mode());
        o.put("runs", r.runs());
        o.put("datagrams_per_sec", r.datagramsPerSecond());
        o.put("gbit_per_sec", r.gbitPerSecond());
        o.put("cpu_s_per_million", r.cpuSecondsPerMillion());
        o.put("lost", r.lost());
        o.put("loss_pct", r.lossPercent());
        o.put("window_loss_pct", r.windowLossPercent());
        o.put("gc_count", r.gcCount());
        o.put("gc_ms", r.gcMillis());
        o.put("vs_c_baseline", r.vsBaseline());
        o.put("vs_best_java", r.vsBestJava());
        return o;
    }
}
