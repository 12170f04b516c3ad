package dev.optbench.contracts.messages;

import dev.optbench.contracts.spec.JudgeModelSpec;
import java.util.UUID;

/**
 * One answer to score, published on {@code bench.judge}. {@code baselineAnswer} is the baseline trial's
 * answer to the same prompt (same conversation, round and repetition), or null when the sample is itself
 * the baseline's; {@code reference} is the prompt set's expected answer, or null.
 *
 * @param judgeModel this run's judge, or null for the judge service's default
 */
public record JudgeRequest(
        int schemaVersion,
        UUID runId,
        UUID trialId,
        UUID sampleId,
        UUID baselineSampleId,
        String prompt,
        String answer,
        String baselineAnswer,
        String reference,
        JudgeModelSpec judgeModel) {
}
