package dev.optbench.contracts.search;

import dev.optbench.contracts.summary.Metric;
import java.util.Map;

/** What a search optimises: one figure of a trial's summary, or generation speed per GB of peak memory. */
public enum SearchObjective {
    MAX_GENERATION_TOKENS_PER_SECOND("maxGenerationTokensPerSecond", "Generation", "tok/s", true),
    MIN_LATENCY_P95("minLatencyP95", "Latency p95", "ms", false),
    MIN_TTFT("minTtft", "TTFT p50", "ms", false),
    MAX_TOKENS_PER_SECOND_PER_GB("maxTokensPerSecondPerGb", "Generation per GB of peak memory", "tok/s/GB", true);

    private static final double GIB = 1024.0 * 1024.0 * 1024.0;

    public final String key;
    public final String label;
    public final String unit;
    public final boolean higherIsBetter;

    SearchObjective(String key, String label, String unit, boolean higherIsBetter) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String title() {
        return label + " (" + unit + ")";
    }

    /**
     * The objective's value from a trial's {@code figures} and its peak memory; null when the trial lacks the figure.
     *
     * @param peakMemoryBytes peak GPU memory, else peak RSS
     */
    public Double valueOf(Map<String, Double> figures, Long peakMemoryBytes) {
        if (figures == null) {
            return null;
        }
        return switch (this) {
            case MAX_GENERATION_TOKENS_PER_SECOND -> figures.get(Metric.GENERATION_TOKENS_PER_SECOND.key);
            case MIN_LATENCY_P95 -> figures.get(Metric.LATENCY_P95.key);
            case MIN_TTFT -> figures.get(Metric.TTFT_P50.key);
            case MAX_TOKENS_PER_SECOND_PER_GB -> {
                Double speed = figures.get(Metric.GENERATION_TOKENS_PER_SECOND.key);
                yield speed == null || peakMemoryBytes == null || peakMemoryBytes <= 0 ? null : speed / (peakMemoryBytes / GIB);
            }
        };
    }

    public static SearchObjective ofKey(String key) {
        for (SearchObjective objective : values()) {
            if (objective.key.equals(key)) {
                return objective;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + key + "'");
    }
}
