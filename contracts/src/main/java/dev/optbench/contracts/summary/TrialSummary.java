package dev.optbench.contracts.summary;

import dev.optbench.contracts.stats.Distribution;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the API, the charts and the CLI show about one trial (one variant on one artifact), computed by
 * the orchestrator from the stored samples and scores, and stored so that reading it is cheap.
 *
 * @param label            "variant · artifact" when the run has several artifacts, else the variant's name
 * @param referenceTrialId the baseline trial this one is compared with (the baseline variant on the model's
 *                         first artifact); null for that trial itself
 * @param figures          each {@link Metric}'s value by key, for tables and charts
 * @param changeVsBaseline each metric's change against the reference trial, by key
 */
public record TrialSummary(
        UUID trialId,
        UUID variantId,
        String variantName,
        boolean baseline,
        UUID artifactId,
        String artifactLabel,
        String label,
        String status,
        String reason,
        UUID referenceTrialId,
        int samples,
        Distribution latencyMillis,
        Distribution ttftMillis,
        Distribution interTokenMillis,
        Distribution generationTokensPerSecond,
        Distribution serverGenerationTokensPerSecond,
        Distribution promptTokensPerSecond,
        Long loadMillis,
        Double coldGenerationTokensPerSecond,
        Long peakRssBytes,
        Long peakGpuMemoryBytes,
        Long modelSizeBytes,
        QualitySummary quality,
        List<RoundFigure> rounds,
        Double roundLatencySlopeMillis,
        Map<String, Double> figures,
        Map<String, Change> changeVsBaseline) {

    public Double figure(Metric metric) {
        return figures == null ? null : figures.get(metric.key);
    }
}
