package dev.salvo;

/**
 * Write-buffer water marks: a channel turns unwritable when its pending bytes rise above
 * {@code high}, and writable again when they fall below {@code low}.
 *
 * @param low the low mark in bytes, {@code >= 0}
 * @param high the high mark in bytes, {@code >= low}
 */
public record WaterMark(int low, int high) {
    /** The defaults: 32 KiB and 64 KiB. */
    public static final WaterMark DEFAULT = new WaterMark(32 * 1024, 64 * 1024);

    /**
     * Rejects marks that cannot work.
     *
     * @throws IllegalArgumentException when {@code low < 0} or {@code high < low}
     */
    public WaterMark {
        if (low < 0) {
            throw new IllegalArgumentException("low water mark must be >= 0, got " + low);
        }
        if (high < low) {
            throw new IllegalArgumentException("high water mark (" + high + ") must be >= low (" + low + ")");
        }
    }
}
