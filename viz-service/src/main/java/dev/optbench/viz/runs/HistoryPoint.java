package dev.optbench.viz.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * One metric of the same model artifact and flags in one earlier or later run: a point of the history chart.
 *
 * @param seriesTrialId the trial of the run being looked at whose history this is
 */
public record HistoryPoint(
        UUID seriesTrialId,
        UUID runId,
        String runName,
        Instant runCreatedAt,
        double value,
        String llamaVersion,
        String llamaCommit) {
}
