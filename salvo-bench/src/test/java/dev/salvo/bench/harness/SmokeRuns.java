package dev.salvo.bench.harness;

import dev.salvo.bench.report.Json;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Test helper: runs the real harness (child processes and all) and reads back its JSON. */
final class SmokeRuns {
    private SmokeRuns() {
    }

    /** @param log what went to stderr: the header, one line per run, notes */
    record Outcome(int exitCode, String table, Map<String, Object> json, String log) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs() {
            return (List<Map<String, Object>>) json.get("runs");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> medians() {
            return (List<Map<String, Object>>) json.get("medians");
        }
    }

    static Outcome run(BenchSettings settings, Path dir) throws Exception {
        return run(settings, ContenderRegistry.standard(), dir);
    }

    static Outcome run(BenchSettings settings, ContenderRegistry registry, Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = new BenchRunner(settings.withOutputs(json, null).withProgress(false), registry,
                NativePrograms.inDefaultCache(), new PrintStream(table, true, StandardCharsets.UTF_8),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        System.err.print(log.toString(StandardCharsets.UTF_8));
        return new Outcome(exit, table.toString(StandardCharsets.UTF_8), Json.parseObject(Files.readString(json)),
                log.toString(StandardCharsets.UTF_8));
    }
}
