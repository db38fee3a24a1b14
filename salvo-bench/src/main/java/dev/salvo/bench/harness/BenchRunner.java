package dev.salvo.bench.harness;

import dev.salvo.bench.report.BenchReport;
import dev.salvo.bench.report.ChartWriter;
import dev.salvo.bench.report.Environment;
import dev.salvo.bench.report.Measurement;
import dev.salvo.bench.report.ResultTable;
import dev.salvo.bench.report.Summary;
import dev.salvo.bench.report.SummaryRow;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The side-by-side benchmark: picks the contenders, runs every (run, size, mode, contender)
 * combination with the contenders interleaved (all contenders do run 1 before any does run 2, so
 * machine noise hits them alike), then prints the table of medians and writes the JSON and the
 * chart. Ctrl-C kills the children and prints what was measured so far.
 */
public final class BenchRunner {
    /** Says what the window-loss column is; only C feeders answer the marks it needs. */
    static final String WINDOW_LOSS_NOTE = "win loss = of the datagrams the feeder sent while the receiver's window"
            + " was open, the share the receiver did not count in it: loss in steady state, without the JIT warm-up";

    private final BenchSettings settings;
    private final ContenderRegistry registry;
    private final NativePrograms natives;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Measurement> measurements = new CopyOnWriteArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    /** Per "receiver at size", each run's split; written by the run loop, read once by the report. */
    private final Map<String, List<List<Long>>> splits = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean interrupted;

    /**
     * @param settings what to run
     * @param registry the contenders
     * @param natives  the C programs
     * @param out      where the table goes
     * @param err      where progress and notes go
     */
    public BenchRunner(BenchSettings settings, ContenderRegistry registry, NativePrograms natives, PrintStream out,
                       PrintStream err) {
        this.settings = settings;
        this.registry = registry;
        this.natives = natives;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the whole plan.
     *
     * @return 0 when every run succeeded, 1 when some failed or nothing could run, 130 when interrupted
     */
    public int run() {
        System.setProperty("java.awt.headless", "true");
        RunExecutor executor = new RunExecutor(ChildLauncher.likeThisJvm(natives));
        Thread hook = Thread.ofPlatform().unstarted(this::onShutdown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (settings.receiveSide()) {
                runReceiveSide(executor);
            } else {
                runSendSide(executor);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            ChildProcess.killAll();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook prints the partial report.
            }
        }
        if (!report(interrupted)) {
            return 130;
        }
        if (interrupted) {
            return 130;
        }
        boolean anyOk = measurements.stream().anyMatch(Measurement::ok);
        boolean anyFailed = measurements.stream().anyMatch(m -> !m.ok());
        return anyOk && !anyFailed ? 0 : 1;
    }

    private void runSendSide(RunExecutor executor) throws InterruptedException {
        List<Contender<JavaSender>> senders = available(registry.senders());
        Contender<JavaReceiver> drain = settings.modes().contains(SendMode.DRAIN) ? drainReceiver() : null;
        if (senders.isEmpty()) {
            notes.add("no sender to run");
            return;
        }
        printHeader("send side", senders.stream().map(Contender::name).toList(),
                settings.modes().stream().map(SendMode::label).collect(Collectors.joining(",")));
        if (drain != null) {
            notes.add("drain mode: the receiver is " + drain.name() + " (" + drain.mechanism()
                    + "); loss = datagrams sent in the whole run - datagrams it counted");
        }
        notes.add("sink mode: the receiving socket is never read; sender CPU is the sender process's CPU time in the window");
        int total = settings.runs() * settings.sizes().size() * settings.modes().size() * senders.size();
        long perRound = senders.stream().mapToLong(this::sendRunMillis).sum();
        BenchEta eta = new BenchEta(total, (long) settings.runs() * settings.sizes().size() * settings.modes().size()
                * perRound, System::nanoTime);
        int index = 0;
        for (int run = 0; run < settings.runs(); run++) {
            for (int size : settings.sizes()) {
                for (SendMode mode : settings.modes()) {
                    for (Contender<JavaSender> sender : senders) {
                        String label = String.format(Locale.ROOT, "[%d/%d] %s %d B %s run %d",
                                ++index, total, sender.name(), size, mode.label(), run + 1);
                        try (RunProgress progress = RunProgress.start(settings.progress(), err, label,
                                sendRunMillis(sender), eta)) {
                            record(executor.send(sender, size, mode, drain, settings, run, progress), progress, label);
                        }
                    }
                }
            }
        }
    }

    private void runReceiveSide(RunExecutor executor) throws InterruptedException {
        if (!settings.sockets().isEmpty()) {
            runManySockets(executor);
            return;
        }
        List<Contender<JavaReceiver>> receivers = available(registry.receivers());
        Contender<JavaSender> feeder = registry.sender(ContenderRegistry.FAST_FEEDER)
                .filter(this::nativeAvailable)
                .orElseGet(() -> registry.sender(ContenderRegistry.JDK).orElseThrow());
        if (!feeder.isNative() && receivers.removeIf(r -> ContenderRegistry.loopsOf(r.name()) > 1)) {
            notes.add("the multi-loop receivers were skipped: their feeders spread over 16 source ports, which only"
                    + " the C sender does (install gcc)");
        }
        if (receivers.isEmpty()) {
            notes.add("no receiver to run");
            return;
        }
        printHeader("receive side", receivers.stream().map(Contender::name).toList(), "receive");
        notes.add("each receiver is fed by " + ReceiveScenario.PLAIN.feedText(feeder) + "; the timed window opens "
                + settings.settleMillis() + " ms after the first datagram arrives, after JIT warm-up");
        receivers.stream().mapToInt(r -> ContenderRegistry.loopsOf(r.name())).filter(n -> n > 1).distinct()
                .forEach(loops -> notes.add("the @" + loops + " rows read one port with " + loops + " SO_REUSEPORT"
                        + " sockets (Salvo: a ReusePortGroup, one channel per event loop; C: one thread per socket),"
                        + " fed by " + ReceiveScenario.reusePort(loops).feedText(feeder) + "; the kernel hashes each"
                        + " source port to one socket; their count is the sum over the sockets"));
        notes.add("loss = datagrams the feeder sent in the whole run - datagrams the receiver counted;"
                + " receiver CPU is the receiver process's CPU time in the window");
        if (feeder.isNative()) {
            notes.add(WINDOW_LOSS_NOTE);
        }
        runReceivers(executor, receivers, feeder, List.of(0));
    }

    /** {@code --sockets}: N sockets on one loop, per count, the chosen (or default) receivers. */
    private void runManySockets(RunExecutor executor) throws InterruptedException {
        Optional<Contender<JavaSender>> feeder = registry.sender(ContenderRegistry.SEND_BASELINE)
                .filter(this::nativeAvailable);
        List<String> names = settings.contenders().isEmpty() ? ContenderRegistry.MANY_SOCKETS_RECEIVERS
                : settings.contenders();
        List<Contender<JavaReceiver>> receivers = new ArrayList<>();
        for (String name : names) {
            registry.receiver(name).filter(r -> !r.isNative()).ifPresentOrElse(receivers::add,
                    () -> notes.add(name + " was skipped: the many-sockets scenario runs Java receivers on one loop"));
        }
        if (feeder.isEmpty() || receivers.isEmpty()) {
            notes.add(feeder.isEmpty() ? "the many-sockets scenario needs the C feeder, which spreads over the ports"
                    : "no receiver to run");
            return;
        }
        printHeader("receive side, many sockets (" + settings.sockets().stream().map(String::valueOf)
                .collect(Collectors.joining(",")) + " on one loop)", receivers.stream().map(Contender::name).toList(),
                "receive");
        for (int sockets : settings.sockets()) {
            notes.add(sockets + " sockets: each receiver binds " + sockets + " sockets on consecutive ports, all on one"
                    + " event loop (SO_RCVBUF 256 KiB each), fed by " + ReceiveScenario.manySockets(sockets)
                    .feedText(feeder.get()));
        }
        notes.add("loss = datagrams the feeder sent in the whole run - datagrams the receiver counted over all its"
                + " sockets; receiver CPU is the receiver process's CPU time in the window");
        notes.add(WINDOW_LOSS_NOTE);
        runReceivers(executor, receivers, feeder.get(), settings.sockets());
    }

    /** Runs every receiver in every (run, socket count, size); a socket count of 0 is the plain receive side. */
    private void runReceivers(RunExecutor executor, List<Contender<JavaReceiver>> receivers,
                              Contender<JavaSender> feeder, List<Integer> socketCounts) throws InterruptedException {
        int total = settings.runs() * socketCounts.size() * settings.sizes().size() * receivers.size();
        BenchEta eta = new BenchEta(total, (long) settings.runs() * socketCounts.size() * settings.sizes().size()
                * receivers.stream().mapToLong(this::receiveRunMillis).sum(), System::nanoTime);
        int index = 0;
        for (int run = 0; run < settings.runs(); run++) {
            for (int sockets : socketCounts) {
                for (int size : settings.sizes()) {
                    for (Contender<JavaReceiver> receiver : receivers) {
                        ReceiveScenario scenario = sockets > 0 ? ReceiveScenario.manySockets(sockets)
                                : ReceiveScenario.reusePort(ContenderRegistry.loopsOf(receiver.name()));
                        String label = String.format(Locale.ROOT, "[%d/%d] %s %d B%s run %d", ++index, total,
                                receiver.name(), size, sockets > 0 ? " " + scenario.mode() : "", run + 1);
                        try (RunProgress progress = RunProgress.start(settings.progress(), err, label,
                                receiveRunMillis(receiver), eta)) {
                            RunExecutor.ReceiveRun result = executor.receive(receiver, feeder, scenario, size, settings,
                                    run, progress);
                            record(result.measurement(), progress, label);
                            if (!result.split().isEmpty() && !interrupted) {
                                splits.computeIfAbsent(receiver.name() + " at " + size + " B", k -> new ArrayList<>())
                                        .add(result.split());
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * For each multi-channel receiver and size, each run's share of the window per channel.
     *
     * @param splits the window's datagrams per channel, per run, by "receiver at size"
     * @return one note per receiver and size
     */
    static List<String> splitNotes(Map<String, List<List<Long>>> splits) {
        List<String> lines = new ArrayList<>();
        splits.forEach((what, runs) -> lines.add("split: " + what + ", share of the window's datagrams per channel, by run: "
                + runs.stream().map(BenchRunner::shares).collect(Collectors.joining(", "))));
        return lines;
    }

    private static String shares(List<Long> counts) {
        long sum = counts.stream().mapToLong(Long::longValue).sum();
        return sum <= 0 ? "none" : counts.stream()
                .map(c -> String.format(Locale.ROOT, "%.0f%%", 100.0 * c / sum)).collect(Collectors.joining("/"));
    }

    /**
     * For the many-sockets tables: each receiver's CPU per million datagrams relative to Salvo on
     * epoll ({@value ContenderRegistry#MANY_SOCKETS_BASELINE}) at the same socket count and size.
     */
    static List<String> socketCpuNotes(List<SummaryRow> rows) {
        List<String> lines = new ArrayList<>();
        for (SummaryRow row : rows) {
            if (!row.mode().endsWith(ReceiveScenario.SOCKETS_SUFFIX)
                    || row.impl().equals(ContenderRegistry.MANY_SOCKETS_BASELINE)) {
                continue;
            }
            for (SummaryRow epoll : rows) {
                if (epoll.impl().equals(ContenderRegistry.MANY_SOCKETS_BASELINE) && epoll.mode().equals(row.mode())
                        && epoll.payload() == row.payload() && epoll.cpuSecondsPerMillion() > 0) {
                    lines.add(String.format(Locale.ROOT, "%s: %s takes %.2fx the CPU per datagram of %s at %d B",
                            row.mode(), row.impl(), row.cpuSecondsPerMillion() / epoll.cpuSecondsPerMillion(),
                            ContenderRegistry.MANY_SOCKETS_BASELINE, row.payload()));
                }
            }
        }
        return lines;
    }

    /** @return the planned length of one send run of this sender: warm-up, window, process start */
    private long sendRunMillis(Contender<?> sender) {
        return settings.warmupMillis() + settings.windowMillis() + startupMillis(sender);
    }

    /** @return the planned length of one receive run: settle, window, two process starts (receiver, feeder) */
    private long receiveRunMillis(Contender<?> receiver) {
        return settings.settleMillis() + settings.windowMillis() + 2 * startupMillis(receiver);
    }

    /** A guess at process start-up, so the progress bar moves at about the right speed. */
    private static long startupMillis(Contender<?> contender) {
        return contender.isNative() ? 50 : 700;
    }

    private void record(Measurement m, RunProgress progress, String label) {
        if (interrupted) {
            return; // a run cut short by Ctrl-C is not a measurement
        }
        measurements.add(m);
        String outcome = m.ok() ? ResultTable.grouped(m.datagramsPerSecond()) + " datagrams/s" : "FAILED";
        progress.done(outcome);
        if (!m.ok()) {
            notes.add(label + " failed: " + m.error());
        }
    }

    private <T> List<Contender<T>> available(List<Contender<T>> all) {
        List<Contender<T>> chosen = new ArrayList<>();
        for (Contender<T> contender : all) {
            if (settings.wants(contender.name()) && nativeAvailable(contender)) {
                chosen.add(contender);
            }
        }
        return chosen;
    }

    private boolean nativeAvailable(Contender<?> contender) {
        if (!(contender.launch() instanceof Launch.Native<?> c)) {
            return true;
        }
        if (natives.program(c.program()).isPresent()) {
            return true;
        }
        String note = "C contenders skipped: " + natives.unavailableReason();
        if (!notes.contains(note)) {
            notes.add(note);
            err.println("salvo bench: " + note);
        }
        return false;
    }

    private Contender<JavaReceiver> drainReceiver() {
        return registry.receiver(ContenderRegistry.RECEIVE_BASELINE)
                .filter(this::nativeAvailable)
                .orElseGet(() -> registry.receiver(ContenderRegistry.JDK).orElseThrow());
    }

    private void printHeader(String side, List<String> names, String modes) {
        err.printf(Locale.ROOT, "salvo bench: %s on 127.0.0.1: %s%n", side, String.join(", ", names));
        err.printf(Locale.ROOT, "salvo bench: payloads %s B, mode %s, %d run(s) each, %s%n",
                settings.sizes().stream().map(String::valueOf).collect(Collectors.joining(",")), modes,
                settings.runs(), settings.timingText());
        err.println("salvo bench: " + Environment.oneLine());
        if (settings.quick()) {
            err.println("salvo bench: " + QUICK_HEADER);
        }
    }

    /** The first line of a quick run's report: what it is, before anyone reads a figure. */
    static final String QUICK_HEADER = "SMOKE RUN (--quick): every contender once, briefly, to check that it works;"
            + " these figures are not a comparison";

    /** The note under a quick run's table. */
    static final String QUICK_NOTE = "note: --quick figures are one short run each on a shared machine and move by a"
            + " factor of 2 or more\n      between runs, so the ratio columns (vs C, vs Java) are left out;"
            + " ./salvo bench without --quick\n      measures the comparison";

    /**
     * For each multi-loop variant ({@code salvo/vector@2}, {@code salvo/recvmmsg@2}), its speed-up
     * over the same contender on one loop.
     */
    static List<String> scalingNotes(List<SummaryRow> rows) {
        List<String> lines = new ArrayList<>();
        for (SummaryRow row : rows) {
            String base = ContenderRegistry.baseName(row.impl());
            if (base.equals(row.impl())) {
                continue;
            }
            for (SummaryRow one : rows) {
                if (one.impl().equals(base) && one.payload() == row.payload() && one.mode().equals(row.mode())
                        && one.datagramsPerSecond() > 0) {
                    lines.add(String.format(Locale.ROOT, "scaling: %s is %.2fx %s at %d B %s", row.impl(),
                            row.datagramsPerSecond() / one.datagramsPerSecond(), base, row.payload(), row.mode()));
                }
            }
        }
        return lines;
    }

    private void onShutdown() {
        if (reported.get()) {
            return;
        }
        interrupted = true;
        ChildProcess.killAll();
        err.println();
        err.println("salvo bench: interrupted; the results so far:");
        report(true);
    }

    /** Prints the table and writes the files, once. @return false when another thread already reported */
    private boolean report(boolean partial) {
        if (!reported.compareAndSet(false, true)) {
            return false;
        }
        String baseline = settings.receiveSide() ? ContenderRegistry.RECEIVE_BASELINE : ContenderRegistry.SEND_BASELINE;
        List<Measurement> runs = List.copyOf(measurements);
        List<SummaryRow> rows = Summary.of(runs, baseline);
        String side = settings.receiveSide() ? "receive" : "send";
        out.println();
        if (settings.quick()) {
            out.println(QUICK_HEADER);
        }
        out.printf(Locale.ROOT, "Salvo bench, %s side%s: median of %d run(s), %s%n", side, partial ? " (PARTIAL)" : "",
                settings.runs(), settings.timingText());
        out.println(Environment.oneLine());
        ResultTable.Layout layout = settings.wide() ? ResultTable.Layout.full() : ResultTable.Layout.fitted();
        if (settings.quick()) {
            layout = layout.withoutRatios();
        }
        String baselineLabel = "vs " + baseline.replace('/', ' ').replace("c ", "C ");
        if (settings.sockets().isEmpty()) {
            out.print(ResultTable.render(rows, settings.receiveSide(), baselineLabel, layout));
        } else {
            // One table per socket count: the scenario is not comparable with the one-socket rows.
            for (String mode : rows.stream().map(SummaryRow::mode).distinct().toList()) {
                out.println("many sockets: " + mode + " on one event loop");
                out.print(ResultTable.render(rows.stream().filter(r -> r.mode().equals(mode)).toList(), true,
                        baselineLabel, layout));
            }
        }
        if (settings.quick()) {
            out.println(QUICK_NOTE);
        }
        out.print(ResultTable.legend(rows, settings.receiveSide(), baseline, layout));
        for (String note : notes) {
            out.println("note: " + note);
        }
        List<String> derived = new ArrayList<>(scalingNotes(rows));
        synchronized (splits) {
            derived.addAll(splitNotes(splits));
        }
        derived.addAll(socketCpuNotes(rows));
        for (String line : derived) {
            out.println("note: " + line);
        }
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(derived);
        BenchReport report = new BenchReport(side, partial, baseline, Environment.describe(), settings.toJson(),
                allNotes, runs, rows);
        try {
            if (settings.json() != null) {
                report.writeJson(settings.json());
                out.println("JSON written to " + settings.json());
            }
            if (settings.chart() != null) {
                ChartWriter.writePng(rows, "salvo bench: " + side + " side, million datagrams/s (higher is better)",
                        settings.chart());
                out.println("chart written to " + settings.chart());
            }
        } catch (IOException | RuntimeException e) {
            err.println("salvo bench: could not write the report files: " + e.getMessage());
        }
        out.flush();
        return true;
    }
}
