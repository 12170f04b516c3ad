package dev.optbench.contracts.stats;

/**
 * A point estimate with its 95 % confidence interval.
 */
public record Interval(double estimate, double low, double high) {
}
