package dev.optbench.orchestrator.runs.query;

import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.runs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Several runs side by side. Rows pair the trials with the same label ("variant" or "variant · artifact") across
 * runs; each run's figures are compared with the first run's, by the metric's direction.
 */
public record Comparison(List<ComparedRun> runs, List<Row> rows) {

    public record ComparedRun(UUID id, String name, String pool, RunStatus status, Instant createdAt, List<TrialSummary> summaries) {
    }

    /**
     * @param figures           run id → that run's figures for this label
     * @param changeVsFirstRun  run id (other than the first) → its change against the first run, by metric key
     */
    public record Row(String label, Map<UUID, Map<String, Double>> figures, Map<UUID, Map<String, Change>> changeVsFirstRun) {
    }
}
