package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * A running trial's progress: trial {@code trialIndex + 1} of {@code trialCount} of its run, sample
 * {@code samplesDone} of {@code samplesTotal} in {@code phase}.
 *
 * @param trialIndex the job's {@link TrialJob#trialIndex()}, null when the job had none
 * @param trialCount the job's {@link TrialJob#trialCount()}, null when the job had none
 */
public record TrialProgress(
        int schemaVersion,
        String workerId,
        UUID runId,
        UUID trialId,
        TrialPhase phase,
        int samplesDone,
        int samplesTotal,
        Integer trialIndex,
        Integer trialCount,
        String message,
        Instant at) implements WorkerEvent {
}
