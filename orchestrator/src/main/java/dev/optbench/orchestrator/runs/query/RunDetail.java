package dev.optbench.orchestrator.runs.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.runs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One run with its variants, artifacts, trials and the stored summary of each finished trial (figures with
 * spread and confidence intervals, quality, and the change against the baseline, better or worse by the metric's
 * direction).
 */
public record RunDetail(
        UUID id,
        String name,
        String pool,
        RunStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        @Schema(description = "the run spec as submitted") JsonNode spec,
        WorkloadOverview workload,
        Map<String, Integer> trialsByStatus,
        List<VariantView> variants,
        List<ArtifactView> artifacts,
        List<TrialView> trials,
        List<TrialSummary> summaries,
        @Schema(description = "judge requests written when the run completed, and how many of those answers have scores; "
                + "null when the run asks for no judging or has not completed") Judging judging) {

    /** {@code scored == requested} when every judged answer has its scores. */
    public record Judging(int requested, int scored) {
    }

    /** The resolved workload in numbers; the prompts themselves are in the spec or the shipped prompt set. */
    public record WorkloadOverview(int conversations, int turns, int repetitions, int maxTokens, double temperature, long seed,
                                   List<Integer> concurrency, int samplesPerTrial) {
    }

    public record VariantView(UUID id, int position, String name, boolean baseline, List<Flag> flags, Map<String, Object> sweepValues) {
    }

    public record ArtifactView(UUID id, int position, int modelIndex, String label, String modelRef, String quantization,
                               int pruneLayers, String pruneFrom, String fileName, String sha256, Long sizeBytes,
                               String architecture, String fileType, Integer blockCount, Long parameterCount, Long buildMillis) {
    }

    public record TrialView(UUID id, UUID variantId, UUID artifactId, TrialStatus status, int attempts, String workerId,
                            String phase, Integer samplesDone, Integer samplesTotal, String reason, String stderrTail,
                            List<String> argv, Environment environment, Long loadMillis, Long requestMillis, Long wallMillis,
                            Long peakRssBytes, Long peakGpuMemoryBytes, PerplexityFigures perplexity,
                            Map<String, Double> metricsDelta, List<String> concurrentActivity,
                            Instant createdAt, Instant startedAt, Instant finishedAt) {
    }
}
