package dev.optbench.contracts.messages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One judge verdict on one sample, published on {@code bench.scores}; {@code scoreId} is stable per
 * (sample, kind), so a re-judged sample replaces its earlier score instead of adding one.
 *
 * @param grade                the rubric grade 1–10 (the mean of helpfulness, correctness, relevance and
 *                             fluency), null for other kinds and when UNPARSEABLE
 * @param positionDisagreement pairwise only: the two orders gave different verdicts; null when they were not both
 *                             asked and read (an unreadable order, or answers identical to the baseline's)
 * @param judgeModel           {@code provider:model} of the judge, or {@code reference-check} (no LLM)
 * @param rawReplies           the judge's replies, each verbatim after a label of its order and attempt
 *                             ({@code answer-first #1: }, {@code baseline-first #2: }, {@code single #1: }); for a
 *                             reference check, which method decided ({@code exact}, {@code normalised},
 *                             {@code contains}, {@code none}) and why
 */
public record Score(
        int schemaVersion,
        UUID scoreId,
        UUID runId,
        UUID trialId,
        UUID sampleId,
        ScoreKind kind,
        Verdict verdict,
        Double grade,
        Boolean positionDisagreement,
        String judgeModel,
        String promptVersion,
        List<String> rawReplies,
        Instant at) {

    public static UUID idOf(UUID sampleId, ScoreKind kind) {
        return UUID.nameUUIDFromBytes((sampleId + "/" + kind).getBytes(StandardCharsets.UTF_8));
    }
}
