package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;

/** Test data: measurements with round numbers. */
final class Runs {
    private Runs() {
    }

    /** A one-second send run of {@code datagrams}, using {@code cpuMillis} of CPU, into a sink. */
    static Measurement sink(String impl, Role role, int payload, int run, long datagrams, long cpuMillis) {
        return new Measurement("send", impl, impl + " mechanism", role, payload, "sink", run, datagrams,
                1_000_000_000L, cpuMillis * 1_000_000L, datagrams, -1, 0, 0, null);
    }

    /** A one-second drain run where the receiver counted {@code received} of {@code sent}. */
    static Measurement drain(String impl, Role role, int payload, int run, long datagrams, long sent, long received) {
        return new Measurement("send", impl, impl + " mechanism", role, payload, "drain", run, datagrams,
                1_000_000_000L, 500_000_000L, sent, received, 0, 0, null);
    }
}
