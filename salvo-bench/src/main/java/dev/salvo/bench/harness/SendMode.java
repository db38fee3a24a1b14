package dev.salvo.bench.harness;

import java.util.Locale;

/** What stands at the receiving end of a send-side run. */
public enum SendMode {
    /** A socket bound on 127.0.0.1 that is never read: measures the sender alone; the kernel drops the overflow. */
    SINK,
    /** A receiver process that reads everything it can with recvmmsg, so loss can be counted. */
    DRAIN;

    /** @return the lower-case name used on the command line and in the JSON */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code sink} or {@code drain}, any case
     * @return the mode
     * @throws IllegalArgumentException for any other word
     */
    public static SendMode parse(String text) {
        for (SendMode mode : values()) {
            if (mode.label().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text.trim() + "' (use sink or drain)");
    }
}
