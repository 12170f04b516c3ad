package dev.optbench.viz.runs;

/**
 * A request named a run that is not stored.
 */
public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(String runId) {
        super("no run with id '" + runId + "'");
    }
}
