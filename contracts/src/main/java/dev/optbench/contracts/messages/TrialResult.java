package dev.optbench.contracts.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * What a worker publishes on {@code bench.results}, keyed by trial id so a trial's messages stay in order:
 * zero or more sample chunks, then exactly one {@link TrialFinished}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SampleChunk.class, name = "sample-chunk"),
        @JsonSubTypes.Type(value = TrialFinished.class, name = "trial-finished")
})
public sealed interface TrialResult permits SampleChunk, TrialFinished {
    int schemaVersion();

    UUID runId();

    UUID trialId();
}
