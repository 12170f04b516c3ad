package dev.optbench.contracts.stats;

/**
 * A sample of a measurement described: its median with spread, and a 95 % confidence interval of the median
 * (null when there are too few values for one).
 */
public record Distribution(int n, double mean, double min, double p50, double p95, double p99, double max,
                           Double p50CiLow, Double p50CiHigh) {
}
