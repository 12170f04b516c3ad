package dev.optbench.judge.verdicts;

/**
 * What the judge chose when shown two answers in one order: the first shown (A), the second shown (B), or
 * neither.
 */
public enum PairwiseChoice {
    A, B, TIE
}
