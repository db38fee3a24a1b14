package dev.salvo.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long-running command stop early and still print its partial results: Ctrl-C (through a
 * JVM shutdown hook) or a test calling {@link #request()} releases {@link #await}, as does the
 * command's own work finishing ({@link #wake()}); the Ctrl-C hook then
 * waits, briefly, until the command says it has reported, so the JVM does not exit mid-report.
 */
final class StopSignal implements AutoCloseable {
    /** How long Ctrl-C waits for the command to print its results before letting the JVM exit. */
    private static final long REPORT_GRACE_SECONDS = 5;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean interrupted;

    private StopSignal(String name) {
        this.hook = new Thread(this::onShutdown, "salvo-" + name + "-stop");
    }

    /**
     * @param name the command's name, for the hook thread's name
     * @return a signal whose Ctrl-C hook is installed
     */
    static StopSignal install(String name) {
        StopSignal s = new StopSignal(name);
        try {
            Runtime.getRuntime().addShutdownHook(s.hook);
        } catch (IllegalStateException e) {
            s.request(); // the JVM is already exiting: stop at once
        }
        return s;
    }

    private void onShutdown() {
        interrupted = true;
        stop.countDown();
        try {
            reported.await(REPORT_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks a command that may not have started yet to stop, as Ctrl-C does.
     *
     * @param running the command's signal, or {@code null} before it installed one
     */
    static void request(StopSignal running) {
        if (running != null) {
            running.request();
        }
    }

    /** Asks the command to stop and report, as Ctrl-C does. */
    void request() {
        interrupted = true;
        stop.countDown();
    }

    /** Ends the current and every later {@link #await} without counting as an interruption: the work is done. */
    void wake() {
        stop.countDown();
    }

    /** @return whether the stop came from Ctrl-C or {@link #request()} rather than a deadline */
    boolean wasInterrupted() {
        return interrupted;
    }

    /**
     * Sleeps until a stop is requested, {@link #wake()} is called, or the time is up.
     *
     * @param nanos the longest wait
     * @return whether the wait ended early (stop or wake)
     */
    boolean await(long nanos) {
        try {
            return stop.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Says the results are printed and removes the hook (when the JVM is not already exiting). */
    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook is running and now returns.
        }
    }
}
