package dev.salvo.bench.harness;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * The live progress bar of one run, on stderr. The bar advances with wall time against the run's
 * expected length (children report only phases, not progress), shows the current phase, and ends
 * with the run's headline figure. Disabled, it draws nothing.
 */
final class RunProgress implements AutoCloseable {
    private static final int WIDTH = 110;

    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private final long expectedMillis;

    private RunProgress(ProgressBar bar, long expectedMillis) {
        this.bar = bar;
        this.expectedMillis = Math.max(1, expectedMillis);
    }

    /**
     * @param enabled        false to draw nothing
     * @param err            where the bar is drawn
     * @param label          the run, e.g. {@code 64 B netty sink 1/3}
     * @param expectedMillis how long the run should take
     * @return the bar, already drawn
     */
    static RunProgress start(boolean enabled, PrintStream err, String label, long expectedMillis) {
        if (!enabled) {
            return new RunProgress(null, expectedMillis);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(Math.max(1, expectedMillis))
                .setUnit(" ms", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .hideEta()
                .setConsumer(new ConsoleProgressBarConsumer(err, WIDTH))
                .build();
        return new RunProgress(bar, expectedMillis);
    }

    /** Moves the bar to the elapsed share of the expected time, short of the end. */
    void tick() {
        if (bar != null) {
            long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            bar.stepTo(Math.min(expectedMillis - 1, elapsedMillis));
        }
    }

    /**
     * @param phase the child's current phase
     */
    void phase(String phase) {
        if (bar != null) {
            bar.setExtraMessage(phase);
        }
        tick();
    }

    /**
     * Completes the bar.
     *
     * @param message the run's outcome, e.g. {@code 1,234,567 dgram/s}
     */
    void done(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
            bar.stepTo(expectedMillis);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
