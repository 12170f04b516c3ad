package dev.optbench.contracts.messages;

import dev.optbench.contracts.spec.JudgeModelSpec;
import java.util.List;
import java.util.UUID;

/**
 * One answer to score, published on {@code bench.judge}. {@code baselineAnswer} is the baseline trial's
 * answer to the same prompt (same conversation, round and repetition), or null when the sample is itself
 * the baseline's; {@code reference} is the prompt set's expected answer, or null.
 *
 * @param earlierPrompts the user turns of the conversation before {@code prompt}, oldest first; null in round 0.
 *                       Both answers were produced after these same turns (each with its own model's answers in
 *                       between, which are not carried). Optional within schema version 1: a request without it is
 *                       judged as a single question, as an older producer meant it.
 * @param judgeModel     this run's judge, or null for the judge service's default
 */
public record JudgeRequest(
        int schemaVersion,
        UUID runId,
        UUID trialId,
        UUID sampleId,
        UUID baselineSampleId,
        String prompt,
        List<String> earlierPrompts,
        String answer,
        String baselineAnswer,
        String reference,
        JudgeModelSpec judgeModel) {
}
