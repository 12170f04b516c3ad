package dev.optbench.orchestrator.runs;

/**
 * A run's life; like a trial's it only moves forward. A run is COMPLETED when every trial is final
 * (succeeded, failed or cancelled), CANCELLED when a user cancelled it first.
 */
public enum RunStatus {
    QUEUED, RUNNING, COMPLETED, CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
