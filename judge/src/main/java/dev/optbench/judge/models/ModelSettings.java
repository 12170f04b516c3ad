package dev.optbench.judge.models;

import java.time.Duration;

/**
 * How every judge call is made, whichever endpoint it goes to.
 */
public record ModelSettings(Duration timeout, Duration connectTimeout, int maxTokens, double temperature, int seed) {
}
