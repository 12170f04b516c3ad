package dev.optbench.contracts.stats;

/**
 * {@code count} of {@code n}, as a rate with its 95 % Wilson score interval.
 */
public record Rate(int count, int n, double rate, double low, double high) {
}
