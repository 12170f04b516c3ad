package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * Published on {@code bench.control} when a run is cancelled; every worker aborts the run's trials.
 */
public record RunCancelled(int schemaVersion, UUID runId, Instant at) {
}
