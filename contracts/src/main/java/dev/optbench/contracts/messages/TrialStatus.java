package dev.optbench.contracts.messages;

/**
 * A trial's life. Status only moves forward: a finished trial never becomes running again.
 */
public enum TrialStatus {
    PENDING, DISPATCHED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Whether a trial in this status may move to {@code next}. */
    public boolean canMoveTo(TrialStatus next) {
        return !isFinal() && next.ordinal() > ordinal();
    }
}
