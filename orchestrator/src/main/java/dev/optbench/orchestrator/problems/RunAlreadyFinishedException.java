package dev.optbench.orchestrator.problems;

import dev.optbench.orchestrator.runs.RunStatus;
import java.util.UUID;

/** A change asked of a run that has already ended; mapped to 409. */
public class RunAlreadyFinishedException extends RuntimeException {
    public RunAlreadyFinishedException(UUID id, RunStatus status) {
        super("run " + id + " is already " + status + " and cannot be cancelled");
    }
}
