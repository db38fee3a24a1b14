package dev.salvo.bench.report;

import java.util.Arrays;
import java.util.Collection;

/** The arithmetic of the summary: medians and ratios that tolerate missing values. */
public final class Stats {
    private Stats() {
    }

    /**
     * The median, ignoring NaN values; the mean of the two middle values for an even count.
     *
     * @param values the samples
     * @return the median, or NaN when no value is a number
     */
    public static double median(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return median(sorted);
    }

    /**
     * @param values the samples (not modified)
     * @return the median ignoring NaN, or NaN when no value is a number
     */
    public static double median(double... values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * @param value    the contender's figure
     * @param baseline the figure compared against
     * @return value / baseline, or NaN when either is missing or the baseline is not positive
     */
    public static double ratio(double value, double baseline) {
        if (Double.isNaN(value) || Double.isNaN(baseline) || baseline <= 0) {
            return Double.NaN;
        }
        return value / baseline;
    }
}
