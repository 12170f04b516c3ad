package dev.optbench.contracts.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What workers tell the orchestrator on {@code bench.events}: who they are, and how their trials go.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = WorkerCapabilities.class, name = "worker-capabilities"),
        @JsonSubTypes.Type(value = TrialProgress.class, name = "trial-progress")
})
public sealed interface WorkerEvent permits WorkerCapabilities, TrialProgress {
    int schemaVersion();

    String workerId();
}
