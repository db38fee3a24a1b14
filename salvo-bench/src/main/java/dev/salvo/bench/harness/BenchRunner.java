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
import java.util.List;
import java.util.Locale;
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
    private final BenchSettings settings;
    private final ContenderRegistry registry;
    private final NativePrograms natives;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Measurement> measurements = new CopyOnWriteArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
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
        List<Contender<JavaReceiver>> receivers = available(registry.receivers());
        Contender<JavaSender> feeder = registry.sender(ContenderRegistry.FAST_FEEDER)
                .filter(this::nativeAvailable)
                .orElseGet(() -> registry.sender(ContenderRegistry.JDK).orElseThrow());
        if (receivers.isEmpty()) {
            notes.add("no receiver to run");
            return;
        }
        printHeader("receive side", receivers.stream().map(Contender::name).toList(), "receive");
        notes.add("each receiver is fed by " + feeder.name() + " (" + feeder.mechanism() + "); the timed window opens "
                + settings.settleMillis() + " ms after the first datagram arrives, after JIT warm-up");
        notes.add("loss = datagrams the feeder sent in the whole run - datagrams the receiver counted;"
                + " receiver CPU is the receiver process's CPU time in the window");
        int total = settings.runs() * settings.sizes().size() * receivers.size();
        BenchEta eta = new BenchEta(total, (long) settings.runs() * settings.sizes().size()
                * receivers.stream().mapToLong(this::receiveRunMillis).sum(), System::nanoTime);
        int index = 0;
        for (int run = 0; run < settings.runs(); run++) {
            for (int size : settings.sizes()) {
                for (Contender<JavaReceiver> receiver : receivers) {
                    String label = String.format(Locale.ROOT, "[%d/%d] %s %d B run %d",
                            ++index, total, receiver.name(), size, run + 1);
                    try (RunProgress progress = RunProgress.start(settings.progress(), err, label,
                            receiveRunMillis(receiver), eta)) {
                        record(executor.receive(receiver, feeder, size, settings, run, progress), progress, label);
                    }
                }
            }
        }
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

    /** For each multi-loop variant ({@code salvo/vector@2}), its speed-up over the same sender on one loop. */
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
        out.print(ResultTable.render(rows, settings.receiveSide(), "vs " + baseline.replace('/', ' ').replace("c ", "C "),
                layout));
        if (settings.quick()) {
            out.println(QUICK_NOTE);
        }
        out.print(ResultTable.legend(rows, settings.receiveSide(), baseline, layout));
        for (String note : notes) {
            out.println("note: " + note);
        }
        for (String scaling : scalingNotes(rows)) {
            out.println("note: " + scaling);
        }
        BenchReport report = new BenchReport(side, partial, baseline, Environment.describe(), settings.toJson(),
                notes, runs, rows);
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
