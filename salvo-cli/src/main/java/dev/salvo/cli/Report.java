package dev.salvo.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * How the commands print: one {@code key: value} per line so scripts can {@code grep} and
 * {@code cut}, and bad arguments as one sentence with exit code 2.
 */
final class Report {
    /** Exit code for bad arguments, as picocli uses for its own parse errors. */
    static final int USAGE = 2;
    /** Exit code when the command ran but something failed (bind refused, datagrams failed). */
    static final int FAILED = 1;

    private Report() {
    }

    /**
     * Prints one error sentence.
     *
     * @param err where errors go
     * @param command the subcommand's name
     * @param sentence what was wrong, without the final full stop
     * @return {@link #USAGE}
     */
    static int usageError(PrintWriter err, String command, String sentence) {
        err.println("salvo " + command + ": " + sentence + ".");
        err.flush();
        return USAGE;
    }

    /**
     * Prints a runtime failure as one sentence.
     *
     * @param err where errors go
     * @param command the subcommand's name
     * @param sentence what went wrong, without the final full stop
     * @return {@link #FAILED}
     */
    static int failure(PrintWriter err, String command, String sentence) {
        err.println("salvo " + command + ": " + sentence + ".");
        err.flush();
        return FAILED;
    }

    /**
     * @param datagrams how many
     * @param payloadBytes their UDP payload bytes
     * @param nanos over how long
     * @return {@code "812345 datagrams/s, 0.42 Gbit/s"}; zeros when no time passed
     */
    static String rate(long datagrams, long payloadBytes, long nanos) {
        if (nanos <= 0) {
            return "0 datagrams/s, 0.00 Gbit/s";
        }
        double seconds = nanos / 1e9;
        return String.format(Locale.ROOT, "%d datagrams/s, %.2f Gbit/s",
                Math.round(datagrams / seconds), payloadBytes * 8 / seconds / 1e9);
    }

    /** @param nanos a duration @return it in seconds with millisecond precision, e.g. {@code "1.234 s"} */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** @param drops a kernel drop count, -1 when unknown @return the count, or {@code "n/a"} */
    static String drops(long drops) {
        return drops < 0 ? "n/a" : Long.toString(drops);
    }

    /** @param value a number the user typed @return it as typed: {@code 0} not {@code 0.0}, {@code 0.5} */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
