package dev.optbench.contracts.messages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One judge verdict on one sample, published on {@code bench.scores}; {@code scoreId} is stable per
 * (sample, kind), so a re-judged sample replaces its earlier score instead of adding one.
 *
 * @param grade                the rubric grade 1–10, null for other kinds
 * @param positionDisagreement pairwise only: the two orders gave different verdicts
 * @param rawReplies           the judge's replies, verbatim
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
