package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The end of a trial: its status, the per-trial measurements, and on failure the reason and the
 * server's stderr tail. Published after every sample chunk of the trial.
 *
 * @param loadMillis           llama-server process start → {@code /health} ok
 * @param coldGeneration       the warm-up request (the first generation after load)
 * @param sampleCount          how many samples the chunks carried
 * @param requestMillis        time spent inside workload requests
 * @param wallMillis           the whole trial, artifact resolution to server stop
 * @param metricsDelta         llama-server {@code /metrics} counters after the workload minus before
 * @param concurrentActivity   what else of OptBench ran on this machine during the trial
 */
public record TrialFinished(
        int schemaVersion,
        UUID runId,
        UUID trialId,
        TrialStatus status,
        String reason,
        String stderrTail,
        String workerId,
        Environment environment,
        ArtifactInfo artifact,
        List<String> argv,
        Long loadMillis,
        Sample coldGeneration,
        int sampleCount,
        Long requestMillis,
        Long wallMillis,
        Long peakRssBytes,
        Long peakGpuMemoryBytes,
        Map<String, Double> metricsDelta,
        PerplexityFigures perplexity,
        List<String> concurrentActivity,
        Instant startedAt,
        Instant finishedAt) implements TrialResult {
}
