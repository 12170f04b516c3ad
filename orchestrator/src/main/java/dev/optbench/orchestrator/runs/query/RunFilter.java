package dev.optbench.orchestrator.runs.query;

import dev.optbench.orchestrator.runs.RunStatus;
import java.time.Instant;

/**
 * The filters of {@code GET /api/runs}; null means "any".
 *
 * @param name  part of the run's name, any case
 * @param model part of a model ref of the run
 * @param flag  a flag one of the run's variants sets (canonical name), optionally with its value
 * @param from  runs created at or after
 * @param to    runs created before
 */
public record RunFilter(String name, String model, String pool, RunStatus status, String flag, String flagValue, Instant from, Instant to) {
}
