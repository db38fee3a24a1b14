package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {

    @Test
    void jsonHasEveryRunAndEveryMedianWithTheDocumentedFields(@TempDir Path dir) throws Exception {
        List<Measurement> runs = List.of(
                Runs.sink("c/sendmmsg", Role.C_REFERENCE, 64, 0, 2000, 1),
                Runs.sink("jdk", Role.JAVA_PEER, 64, 0, 1000, 1),
                Runs.drain("jdk", Role.JAVA_PEER, 64, 0, 1000, 1000, 750),
                Measurement.failed("send", "netty", "m", Role.JAVA_PEER, 64, "sink", 0, "boom"));
        BenchReport report = new BenchReport("send", false, "c/sendmmsg", Environment.describe(),
                Map.of("runs", 1), List.of("a note"), runs, Summary.of(runs, "c/sendmmsg"));
        Path file = dir.resolve("bench.json");

        report.writeJson(file);
        Map<String, Object> doc = Json.parseObject(Files.readString(file));

        assertEquals(BenchReport.SCHEMA, doc.get("schema"));
        assertEquals("send", doc.get("side"));
        assertEquals(false, doc.get("partial"));
        assertEquals("c/sendmmsg", doc.get("baseline"));
        assertTrue(((Map<?, ?>) doc.get("environment")).containsKey("kernel"));
        assertEquals(List.of("a note"), doc.get("notes"));

        List<?> runList = (List<?>) doc.get("runs");
        assertEquals(4, runList.size());
        Map<?, ?> sink = (Map<?, ?>) runList.get(1);
        for (String field : List.of("impl", "mechanism", "payload", "mode", "run", "datagrams_per_sec",
                "gbit_per_sec", "cpu_s_per_million", "lost")) {
            assertTrue(sink.containsKey(field), field);
        }
        assertEquals("jdk", sink.get("impl"));
        assertEquals(1000.0, sink.get("datagrams_per_sec"));
        assertNull(sink.get("lost"), "a sink counts nothing, so loss is unknown");
        Map<?, ?> drain = (Map<?, ?>) runList.get(2);
        assertEquals(250.0, drain.get("lost"));
        assertEquals(25.0, drain.get("loss_pct"));
        Map<?, ?> failed = (Map<?, ?>) runList.get(3);
        assertEquals(false, failed.get("ok"));
        assertEquals("boom", failed.get("error"));

        List<?> medians = (List<?>) doc.get("medians");
        assertEquals(3, medians.size());
        Map<?, ?> jdk = (Map<?, ?>) medians.get(1);
        assertEquals("jdk", jdk.get("impl"));
        assertEquals(0.5, jdk.get("vs_c_baseline"));
        assertEquals(1.0, jdk.get("vs_best_java"));
        assertEquals(1.0, jdk.get("runs"));
    }
}
