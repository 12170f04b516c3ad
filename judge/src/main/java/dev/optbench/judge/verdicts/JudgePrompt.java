package dev.optbench.judge.verdicts;

import dev.optbench.contracts.messages.ScoreKind;

/**
 * One question to the judge: the messages, the JSON schema its reply must follow, and the prompt version
 * recorded with the score.
 *
 * @param order  for pairwise prompts which answer is shown first ({@code answer-first} or
 *               {@code baseline-first}); {@code single} for the rubric
 * @param schema a JSON schema, sent as the structured-output format so the endpoint constrains the reply
 */
public record JudgePrompt(ScoreKind kind, String version, String order, String system, String user, String schemaName,
        String schema) {
}
