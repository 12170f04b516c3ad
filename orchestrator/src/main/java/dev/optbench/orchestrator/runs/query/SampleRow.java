package dev.optbench.orchestrator.runs.query;

import java.time.Instant;
import java.util.UUID;

/**
 * One sample as a flat row, with the trial it belongs to and its scores: a row of {@code GET /api/runs/{id}/samples}
 * and of the sample-level export.
 */
public record SampleRow(
        UUID runId,
        UUID trialId,
        String variant,
        boolean baseline,
        String artifact,
        String trialStatus,
        UUID sampleId,
        String conversationId,
        int round,
        int repetition,
        int concurrency,
        Instant startedAt,
        int promptTokens,
        int completionTokens,
        int cachedTokens,
        double ttftMillis,
        double latencyMillis,
        Double interTokenMillisMean,
        Double interTokenMillisP95,
        Double generationTokensPerSecond,
        Double serverPromptMillis,
        Double serverPromptTokensPerSecond,
        Double serverGenerationMillis,
        Double serverGenerationTokensPerSecond,
        Integer draftTokens,
        Integer draftAcceptedTokens,
        String finishReason,
        String error,
        String pairwiseVerdict,
        Double rubricGrade,
        String referenceVerdict,
        String prompt,
        String answer) {
}
