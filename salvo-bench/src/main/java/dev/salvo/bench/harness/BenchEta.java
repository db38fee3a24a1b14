package dev.salvo.bench.harness;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The overall progress of one {@code salvo bench}: runs done of the total, time elapsed, and an
 * estimate of the time left. The estimate is the planned time of the runs still to go (warm-up,
 * window and process start of each) scaled by how the runs done so far compared with their plan,
 * so a machine slower than planned gets a longer estimate after the first run.
 */
final class BenchEta {
    private final int total;
    private final long plannedTotalMillis;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private int done;
    private long plannedDoneMillis;

    /**
     * @param total              runs in the plan
     * @param plannedTotalMillis the planned length of all of them
     * @param nanoClock          {@code System::nanoTime}, or a test's clock
     */
    BenchEta(int total, long plannedTotalMillis, LongSupplier nanoClock) {
        this.total = total;
        this.plannedTotalMillis = Math.max(0, plannedTotalMillis);
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** @param plannedMillis the planned length of the run that just ended */
    synchronized void runDone(long plannedMillis) {
        done++;
        plannedDoneMillis += plannedMillis;
    }

    /** @return the estimated milliseconds left */
    synchronized long remainingMillis() {
        long plannedLeft = Math.max(0, plannedTotalMillis - plannedDoneMillis);
        if (done == 0 || plannedDoneMillis == 0) {
            return plannedLeft;
        }
        double pace = (double) elapsedMillis() / plannedDoneMillis;
        return done >= total ? 0 : Math.round(plannedLeft * pace);
    }

    /** @return milliseconds since the plan started */
    long elapsedMillis() {
        return (nanoClock.getAsLong() - startNanos) / 1_000_000;
    }

    /** @return e.g. {@code 3/24 runs done, 0:14 elapsed, about 1:37 left} */
    synchronized String describe() {
        return String.format(Locale.ROOT, "%d/%d runs done, %s elapsed, about %s left", done, total,
                clock(elapsedMillis()), clock(remainingMillis()));
    }

    /** @return {@code m:ss}, or {@code h:mm:ss} from an hour */
    static String clock(long millis) {
        long s = Math.round(millis / 1000.0);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
