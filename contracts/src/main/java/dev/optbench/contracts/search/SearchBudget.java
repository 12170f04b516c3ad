package dev.optbench.contracts.search;

/**
 * How much a search may spend: trials (llama-server starts), device-hours (the trials' wall time on the workers),
 * or both (whichever runs out first).
 */
public record SearchBudget(Integer trials, Double deviceHours) {
}
