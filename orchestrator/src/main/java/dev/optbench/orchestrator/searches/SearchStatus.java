package dev.optbench.orchestrator.searches;

/** RUNNING while its rounds go on; COMPLETED with a result, CANCELLED, or FAILED with the reason. */
public enum SearchStatus {
    RUNNING, COMPLETED, CANCELLED, FAILED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
