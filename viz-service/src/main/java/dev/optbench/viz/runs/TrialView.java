package dev.optbench.viz.runs;

import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One stored trial with its variant, its artifact and, once the orchestrator has computed it, its summary.
 *
 * @param sweepValues the sweep point of the variant (flag to value), empty for variants outside a sweep
 * @param summary     null until the trial has finished and been summarised
 */
public record TrialView(
        UUID trialId,
        UUID runId,
        String runName,
        String pool,
        Instant runCreatedAt,
        UUID variantId,
        int variantPosition,
        String variantName,
        boolean baseline,
        Map<String, Object> sweepValues,
        UUID artifactId,
        int artifactPosition,
        String modelRef,
        String quantization,
        int pruneLayers,
        String status,
        String phase,
        Integer samplesDone,
        Integer samplesTotal,
        int attempts,
        String workerId,
        String reason,
        String stderrTail,
        Environment environment,
        List<String> argv,
        Long loadMillis,
        Long peakRssBytes,
        Long peakGpuMemoryBytes,
        Instant startedAt,
        Instant finishedAt,
        TrialSummary summary,
        Instant summaryUpdatedAt) {

    public boolean summarised() {
        return summary != null;
    }

    public boolean failed() {
        return TrialStatus.FAILED.name().equals(status);
    }

    /** The name charts and legends use: the orchestrator's label once summarised, else the variant's name. */
    public String label() {
        return summary != null && summary.label() != null ? summary.label() : variantName;
    }

    public Double figure(Metric metric) {
        return summary == null ? null : summary.figure(metric);
    }

    /** The artifact as a short text: model, quantization and pruning. */
    public String artifactText() {
        StringBuilder text = new StringBuilder(modelRef);
        if (quantization != null) {
            text.append(' ').append(quantization);
        }
        if (pruneLayers > 0) {
            text.append(", ").append(pruneLayers).append(" layers pruned");
        }
        return text.toString();
    }

    /** The argv as one line for reading (never executed). */
    public String commandLine() {
        return argv == null ? "" : String.join(" ", argv);
    }
}
