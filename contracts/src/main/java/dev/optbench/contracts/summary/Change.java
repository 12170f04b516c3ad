package dev.optbench.contracts.summary;

/**
 * A figure against the baseline's: the change in percent of the baseline's value, and whether that change is
 * better by the metric's direction (null when the change is 0).
 */
public record Change(double baseline, double value, double percent, Boolean better) {

    public static Change of(Metric metric, Double baseline, Double value) {
        if (baseline == null || value == null || baseline == 0) {
            return null;
        }
        double percent = (value - baseline) / Math.abs(baseline) * 100.0;
        Boolean better = percent == 0 ? null : (percent > 0) == metric.higherIsBetter;
        return new Change(baseline, value, percent, better);
    }
}
