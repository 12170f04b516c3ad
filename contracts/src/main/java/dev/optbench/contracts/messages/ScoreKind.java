package dev.optbench.contracts.messages;

/**
 * The three kinds of score: pairwise against the baseline, a 1–10 rubric grade, a reference check.
 */
public enum ScoreKind {
    PAIRWISE, RUBRIC, REFERENCE
}
