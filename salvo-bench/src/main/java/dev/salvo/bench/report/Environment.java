package dev.salvo.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a run was measured on: CPU model, cores, kernel and JDK, for the report header and JSON. */
public final class Environment {
    private Environment() {
    }

    /** @return cpu, cores, kernel, os, java and jvm, in that order */
    public static Map<String, Object> describe() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpu", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("kernel", System.getProperty("os.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("java", System.getProperty("java.runtime.version"));
        env.put("jvm", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name"));
        return env;
    }

    /** @return one line for the top of the table */
    public static String oneLine() {
        Map<String, Object> env = describe();
        return env.get("cpu") + " (" + env.get("cores") + " cores), Linux " + env.get("kernel")
                + ", Java " + env.get("java") + " (" + env.get("jvm") + ")";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // Not Linux, or /proc is hidden: fall through.
        }
        return "unknown CPU";
    }
}
