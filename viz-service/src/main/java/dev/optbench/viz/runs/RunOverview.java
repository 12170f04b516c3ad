package dev.optbench.viz.runs;

import dev.optbench.contracts.spec.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One stored run as the run list and the run page head show it: its trials counted by state.
 *
 * @param trialsFinished trials that succeeded, failed or were cancelled
 */
public record RunOverview(
        UUID id,
        String name,
        String pool,
        String status,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        List<String> modelRefs,
        int trials,
        int trialsFinished,
        int trialsFailed,
        int trialsRunning,
        long samplesDone,
        long samplesTotal) {

    /** A run is in progress until the orchestrator stamps its end. */
    public boolean inProgress() {
        return finishedAt == null;
    }

    /** Whether a model of the run is the generated random-weight model, whose quality scores mean nothing. */
    public boolean syntheticModel() {
        return modelRefs.contains(ModelRef.SYNTHETIC_TINY);
    }

    /** Finished trials in percent of all, for the progress bar. */
    public int percentDone() {
        return trials == 0 ? 0 : (int) Math.floor(100.0 * trialsFinished / trials);
    }
}
