package dev.salvo.bench.harness;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * The live progress bar of one run, on stderr. The bar advances with wall time against the run's
 * expected length (children report phases, not progress) and shows the current phase; when the
 * run ends it is replaced by one line with the run's outcome, so the log keeps a line per run.
 * Disabled, only that line is printed. Both carry the overall progress ({@link BenchEta}): runs
 * done of the total, time elapsed and an estimate of the time left.
 */
final class RunProgress implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream err;
    private final String label;
    private final long startNanos = System.nanoTime();
    private final long expectedMillis;
    private final BenchEta eta;
    private String phase = "";
    private String outcome;

    private RunProgress(ProgressBar bar, PrintStream err, String label, long expectedMillis, BenchEta eta) {
        this.bar = bar;
        this.err = err;
        this.label = label;
        this.expectedMillis = Math.max(1, expectedMillis);
        this.eta = eta;
    }

    /**
     * @param enabled        false to draw no bar
     * @param err            where the bar and the outcome line go
     * @param label          the run, e.g. {@code [3/24] netty 64 B sink run 1}
     * @param expectedMillis how long the run should take
     * @param eta            the whole plan's progress; this run counts as done when it closes
     * @return the bar, already drawn
     */
    static RunProgress start(boolean enabled, PrintStream err, String label, long expectedMillis, BenchEta eta) {
        if (!enabled) {
            return new RunProgress(null, err, label, expectedMillis, eta);
        }
        ProgressBar bar = new ProgressBarBuilder()
                // The time left goes first: an 80-column terminal cuts the end of the line.
                .setTaskName("~" + BenchEta.clock(eta.remainingMillis()) + " left | " + label)
                .setInitialMax(Math.max(1, expectedMillis))
                .setUnit(" ms", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .hideEta()
                .setConsumer(new LineReusingConsumer(err))
                .build();
        RunProgress progress = new RunProgress(bar, err, label, expectedMillis, eta);
        progress.phase("starting");
        return progress;
    }

    /** Moves the bar to the elapsed share of the expected time, short of the end. */
    void tick() {
        if (bar != null) {
            long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            bar.stepTo(Math.min(expectedMillis - 1, elapsedMillis));
            bar.setExtraMessage(phase + " | " + eta.describe());
        }
    }

    /**
     * @param phase the child's current phase
     */
    void phase(String phase) {
        this.phase = phase;
        tick();
    }

    /**
     * Records the run's outcome, printed when the bar closes.
     *
     * @param message e.g. {@code 1,234,567 datagrams/s}
     */
    void done(String message) {
        outcome = message;
    }

    /**
     * Draws on one line as wide as the terminal (80 when not a terminal) and, on close, blanks
     * that line instead of ending it, so the outcome line takes its place.
     */
    private static final class LineReusingConsumer extends ConsoleProgressBarConsumer {
        private final PrintStream out;

        LineReusingConsumer(PrintStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public void close() {
            out.print("\r" + " ".repeat(getMaxRenderedLength()) + "\r");
            out.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (outcome != null) {
            eta.runDone(expectedMillis);
            err.println(label + ": " + outcome + " (" + eta.describe() + ")");
        }
    }
}
