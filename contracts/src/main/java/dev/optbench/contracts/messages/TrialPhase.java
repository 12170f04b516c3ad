package dev.optbench.contracts.messages;

/**
 * Where a running trial is.
 */
public enum TrialPhase {
    STARTED, ARTIFACT, LOADING, WARMUP, WORKLOAD, PERPLEXITY, PUBLISHING
}
