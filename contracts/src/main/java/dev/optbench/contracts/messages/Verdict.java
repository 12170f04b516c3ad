package dev.optbench.contracts.messages;

/**
 * A score's outcome. Pairwise: WIN, TIE or LOSS for the variant against the baseline. Reference: PASS or
 * FAIL. Rubric: GRADED with a grade. UNPARSEABLE when the judge's reply could not be read, even on retry.
 */
public enum Verdict {
    WIN, TIE, LOSS, PASS, FAIL, GRADED, UNPARSEABLE
}
