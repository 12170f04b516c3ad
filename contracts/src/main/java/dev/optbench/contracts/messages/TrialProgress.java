package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * A running trial's progress: sample {@code samplesDone} of {@code samplesTotal} in {@code phase}.
 */
public record TrialProgress(
        int schemaVersion,
        String workerId,
        UUID runId,
        UUID trialId,
        TrialPhase phase,
        int samplesDone,
        int samplesTotal,
        String message,
        Instant at) implements WorkerEvent {
}
