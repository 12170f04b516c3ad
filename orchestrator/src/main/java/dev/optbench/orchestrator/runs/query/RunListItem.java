package dev.optbench.orchestrator.runs.query;

import dev.optbench.orchestrator.runs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A run in the list: what it is, where it runs and how far its trials are. */
public record RunListItem(
        UUID id,
        String name,
        String pool,
        RunStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        List<String> models,
        int variants,
        int trials,
        Map<String, Integer> trialsByStatus) {
}
