package dev.optbench.contracts.summary;

/**
 * The figures a trial is compared by, each with its unit and which direction is better. The API's change
 * against the baseline, the summary table and every chart axis take their names and colours of "better"
 * from here.
 */
public enum Metric {
    LATENCY_P50("latencyMillisP50", "Latency p50", "ms", false),
    LATENCY_P95("latencyMillisP95", "Latency p95", "ms", false),
    LATENCY_P99("latencyMillisP99", "Latency p99", "ms", false),
    TTFT_P50("ttftMillisP50", "TTFT p50", "ms", false),
    TTFT_P95("ttftMillisP95", "TTFT p95", "ms", false),
    GENERATION_TOKENS_PER_SECOND("generationTokensPerSecond", "Generation", "tok/s", true),
    PROMPT_TOKENS_PER_SECOND("promptTokensPerSecond", "Prompt processing", "tok/s", true),
    LOAD_MILLIS("loadMillis", "Load time", "ms", false),
    COLD_GENERATION_TOKENS_PER_SECOND("coldGenerationTokensPerSecond", "First generation", "tok/s", true),
    PEAK_RSS_MB("peakRssMb", "Peak RSS", "MB", false),
    PEAK_GPU_MEMORY_MB("peakGpuMemoryMb", "Peak GPU memory", "MB", false),
    MODEL_SIZE_MB("modelSizeMb", "Model size", "MB", false),
    JUDGE_WIN_RATE("judgeWinRate", "Judge win rate vs baseline", "%", true),
    JUDGE_LOSS_RATE("judgeLossRate", "Judge loss rate vs baseline", "%", false),
    RUBRIC_GRADE("rubricGrade", "Rubric grade", "1-10", true),
    REFERENCE_ACCURACY("referenceAccuracy", "Reference accuracy", "%", true),
    PERPLEXITY("perplexity", "Perplexity", "", false),
    KL_DIVERGENCE("klDivergence", "KL divergence vs baseline", "nats", false),
    ROOFLINE_SHARE("rooflineShare", "Share of the memory-bandwidth bound", "%", true);

    public final String key;
    public final String label;
    public final String unit;
    public final boolean higherIsBetter;

    Metric(String key, String label, String unit, boolean higherIsBetter) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** The axis or column title: label and unit. */
    public String title() {
        return unit.isEmpty() ? label : label + " (" + unit + ")";
    }

    public static Metric ofKey(String key) {
        for (Metric metric : values()) {
            if (metric.key.equals(key)) {
                return metric;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'");
    }
}
