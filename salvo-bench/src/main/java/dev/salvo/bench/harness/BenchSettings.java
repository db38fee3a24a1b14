package dev.salvo.bench.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code salvo bench} invocation runs.
 *
 * <p>Defaults: sizes 64 and 1200 bytes, sink mode, 3 runs, 1 s warm-up and 3 s window per send
 * run; on the receive side the window opens 5 s after the first datagram and lasts 3 s. Each
 * run also starts a child process (about 0.3 s for a JVM). The default send side takes about 3.5
 * minutes (16 rows x 3 runs x 4.3 s; measured 3 min 31 s on a 2-core machine), the receive side
 * about 13 (30 rows; measured 12 min 43 s). {@code --quick} (for CI smoke runs) keeps both
 * sizes but does 1 run, a 0.3 s warm-up and a 0.5 s window (receive: 0.5 s settle, 0.5 s window), every contender once: under half a
 * minute; its figures are a smoke test, not a comparison, and the table leaves out the ratios.
 * {@link #sockets()} replaces the receive side's rows by the many-sockets scenario: per socket
 * count, the four receivers of {@link ContenderRegistry#MANY_SOCKETS_RECEIVERS} (or those named).
 *
 * @param sizes        payload sizes in bytes, 1..65507
 * @param modes        send-side receiver modes (ignored on the receive side)
 * @param runs         runs per figure; the table shows medians
 * @param warmupMillis send side: warm-up before the window
 * @param windowMillis the timed window, both sides
 * @param settleMillis receive side: time after the first datagram before the window opens
 * @param receiveSide  true to measure receivers instead of senders
 * @param contenders   names to run (senders or receivers by side); empty for all
 * @param json         where to write the JSON report, or null
 * @param chart        where to write the PNG chart, or null
 * @param progress     true to draw progress bars on stderr
 * @param quick        true when these are the quick settings (recorded in the report)
 * @param wide         true for the wide table (mechanism column, full headers), false to fit 120 columns
 * @param sockets      receive side: socket counts for the many-sockets scenario (N sockets on one
 *                     loop, each count a table of its own) instead of the one-socket receivers; empty for none
 */
public record BenchSettings(List<Integer> sizes, List<SendMode> modes, int runs, long warmupMillis, long windowMillis,
                            long settleMillis, boolean receiveSide, List<String> contenders, Path json, Path chart,
                            boolean progress, boolean quick, boolean wide, List<Integer> sockets) {
    /** The largest UDP payload over IPv4. */
    public static final int MAX_PAYLOAD = 65_507;

    /** Validates and copies the lists. */
    public BenchSettings {
        sizes = List.copyOf(sizes);
        modes = List.copyOf(modes);
        contenders = List.copyOf(contenders);
        sockets = List.copyOf(sockets);
        for (int n : sockets) {
            if (n < 2 || n > PortRange.MAX_SOCKETS) {
                throw new IllegalArgumentException("--sockets counts are 2.." + PortRange.MAX_SOCKETS + ", not " + n);
            }
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("give at least one payload size");
        }
        for (int size : sizes) {
            if (size < 1 || size > MAX_PAYLOAD) {
                throw new IllegalArgumentException("payload size " + size + " is outside 1.." + MAX_PAYLOAD + " bytes");
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("give at least one mode (sink or drain)");
        }
        if (runs < 1 || runs > 100) {
            throw new IllegalArgumentException("runs must be between 1 and 100, not " + runs);
        }
        if (warmupMillis < 0 || windowMillis < 100 || settleMillis < 0
                || warmupMillis > 60_000 || windowMillis > 60_000 || settleMillis > 60_000) {
            throw new IllegalArgumentException("warm-up and settle must be 0..60000 ms and the window 100..60000 ms");
        }
    }

    /**
     * Receive side: how long after the first datagram the window opens by default. The window is
     * meant to measure the steady state, after the JIT. On a 2-core machine with both cores busy
     * (receiver and feeder), C2 compiled Salvo's per-datagram methods within 1 s of the first
     * datagram but its per-turn methods (the loop turn, the epoll poll, the readiness dispatch,
     * about 1,700 calls a second at 1200 B) only 3.1–3.5 s after it (JIT compilation log); with
     * the earlier 1.5 s, 87 ms of C2 compiling fell inside a 3 s window, taken from one of the two
     * busy cores.
     */
    public static final long DEFAULT_SETTLE_MILLIS = 5000;

    /**
     * @param quick true for the CI smoke settings
     * @return the default settings, send side, no files, progress bars on
     */
    public static BenchSettings defaults(boolean quick) {
        return quick
                ? new BenchSettings(List.of(64, 1200), List.of(SendMode.SINK), 1, 300, 500, 500, false, List.of(),
                        null, null, true, true, false, List.of())
                : new BenchSettings(List.of(64, 1200), List.of(SendMode.SINK), 3, 1000, 3000, DEFAULT_SETTLE_MILLIS,
                        false, List.of(), null, null, true, false, false, List.of());
    }

    /** @return the settings as recorded in the JSON report */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sizes", sizes);
        o.put("modes", receiveSide ? List.of("receive") : modes.stream().map(SendMode::label).toList());
        o.put("runs", runs);
        o.put("warmup_ms", receiveSide ? 0 : warmupMillis);
        o.put("window_ms", windowMillis);
        o.put("settle_ms", receiveSide ? settleMillis : 0);
        o.put("quick", quick);
        if (!sockets.isEmpty()) {
            o.put("sockets", sockets);
        }
        return o;
    }

    /**
     * Builder-style copy with other sizes.
     *
     * @param newSizes the sizes
     * @return the copy
     */
    public BenchSettings withSizes(List<Integer> newSizes) {
        return new BenchSettings(newSizes, modes, runs, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, json, chart, progress, quick, wide, sockets);
    }

    /**
     * @param newModes the modes
     * @return a copy with other send modes
     */
    public BenchSettings withModes(List<SendMode> newModes) {
        return new BenchSettings(sizes, newModes, runs, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, json, chart, progress, quick, wide, sockets);
    }

    /**
     * @param newRuns runs per figure
     * @return a copy with another run count
     */
    public BenchSettings withRuns(int newRuns) {
        return new BenchSettings(sizes, modes, newRuns, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, json, chart, progress, quick, wide, sockets);
    }

    /**
     * @param warmup warm-up ms (send side)
     * @param window window ms
     * @param settle settle ms (receive side)
     * @return a copy with other timings
     */
    public BenchSettings withTimings(long warmup, long window, long settle) {
        return new BenchSettings(sizes, modes, runs, warmup, window, settle, receiveSide, contenders, json, chart,
                progress, quick, wide, sockets);
    }

    /**
     * @param receive true for the receive side
     * @return a copy measuring that side
     */
    public BenchSettings withReceiveSide(boolean receive) {
        return new BenchSettings(sizes, modes, runs, warmupMillis, windowMillis, settleMillis, receive, contenders,
                json, chart, progress, quick, wide, sockets);
    }

    /**
     * @param names contender names to run; empty for all
     * @return a copy running only those
     */
    public BenchSettings withContenders(List<String> names) {
        return new BenchSettings(sizes, modes, runs, warmupMillis, windowMillis, settleMillis, receiveSide, names,
                json, chart, progress, quick, wide, sockets);
    }

    /**
     * @param jsonFile  the JSON report file, or null
     * @param chartFile the PNG chart file, or null
     * @return a copy writing those files
     */
    public BenchSettings withOutputs(Path jsonFile, Path chartFile) {
        return new BenchSettings(sizes, modes, runs, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, jsonFile, chartFile, progress, quick, wide, sockets);
    }

    /**
     * @param show true to draw progress bars
     * @return a copy with progress bars on or off
     */
    public BenchSettings withProgress(boolean show) {
        return new BenchSettings(sizes, modes, runs, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, json, chart, show, quick, wide, sockets);
    }

    /**
     * @param wideTable true for the wide table
     * @return a copy with that table layout
     */
    public BenchSettings withWide(boolean wideTable) {
        return new BenchSettings(sizes, modes, runs, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, json, chart, progress, quick, wideTable, sockets);
    }

    /**
     * @param counts socket counts for the many-sockets scenario; empty for the usual receivers
     * @return a copy running that scenario
     */
    public BenchSettings withSockets(List<Integer> counts) {
        return new BenchSettings(sizes, modes, runs, warmupMillis, windowMillis, settleMillis, receiveSide,
                contenders, json, chart, progress, quick, wide, counts);
    }

    /** @return a short description of the timing, for the table header */
    String timingText() {
        return receiveSide
                ? String.format(java.util.Locale.ROOT, "window %.1f s, opened %.1f s after the first datagram (JIT warm-up)",
                        windowMillis / 1e3, settleMillis / 1e3)
                : String.format(java.util.Locale.ROOT, "window %.1f s after %.1f s warm-up", windowMillis / 1e3, warmupMillis / 1e3);
    }

    /**
     * @param name a contender name
     * @return true when no names were given or this one is listed
     */
    boolean wants(String name) {
        return contenders.isEmpty() || contenders.contains(Objects.requireNonNull(name));
    }
}
