package dev.optbench.contracts.stats;

import java.util.Arrays;

/**
 * The one place for percentile and interval maths. Deterministic: no resampling, so the same samples always
 * give the same figures.
 */
public final class Statistics {
    private static final double Z95 = 1.959963984540054;
    // Two-sided 95 % Student t quantiles for 1..30 degrees of freedom.
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
            2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    private Statistics() {
    }

    /** The p-th percentile (0–100) of sorted values, interpolating linearly between ranks. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }

    /** Describes values; null when there are none. NaN values are ignored. */
    public static Distribution describe(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return null;
        }
        double mean = Arrays.stream(sorted).average().orElseThrow();
        Double ciLow = null;
        Double ciHigh = null;
        if (n >= 6) {
            // Distribution-free interval of the median from order statistics (normal approximation of the binomial).
            double half = Z95 * Math.sqrt(n) / 2.0;
            int low = (int) Math.max(0, Math.floor(n / 2.0 - half));
            int high = (int) Math.min(n - 1, Math.ceil(n / 2.0 + half) - 1);
            ciLow = sorted[low];
            ciHigh = sorted[high];
        }
        return new Distribution(n, mean, sorted[0], percentile(sorted, 50), percentile(sorted, 95),
                percentile(sorted, 99), sorted[n - 1], ciLow, ciHigh);
    }

    /** The mean with a t-based 95 % interval; null when there are no values, a zero-width interval for one. */
    public static Interval mean(double[] values) {
        double[] clean = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = clean.length;
        if (n == 0) {
            return null;
        }
        double mean = Arrays.stream(clean).average().orElseThrow();
        if (n == 1) {
            return new Interval(mean, mean, mean);
        }
        double variance = Arrays.stream(clean).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double t = n - 1 <= T95.length ? T95[n - 2] : Z95;
        double half = t * Math.sqrt(variance / n);
        return new Interval(mean, mean - half, mean + half);
    }

    /** count of n as a rate with its Wilson score interval; null when n is 0. */
    public static Rate rate(int count, int n) {
        if (count < 0 || count > n) {
            throw new IllegalArgumentException(count + " of " + n);
        }
        if (n == 0) {
            return null;
        }
        double p = (double) count / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        double low = count == 0 ? 0 : Math.max(0, centre - half);
        double high = count == n ? 1 : Math.min(1, centre + half);
        return new Rate(count, n, p, low, high);
    }

    /**
     * The least-squares slope of y against x (e.g. latency per conversation round); null for fewer than two
     * distinct x values.
     */
    public static Double slope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        int n = x.length;
        if (n < 2) {
            return null;
        }
        double meanX = Arrays.stream(x).average().orElseThrow();
        double meanY = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }
        return sxx == 0 ? null : sxy / sxx;
    }

    /** The change from baseline to value in percent of the baseline; null when the baseline is 0 or missing. */
    public static Double percentChange(Double baseline, Double value) {
        if (baseline == null || value == null || baseline == 0) {
            return null;
        }
        return (value - baseline) / Math.abs(baseline) * 100.0;
    }
}
