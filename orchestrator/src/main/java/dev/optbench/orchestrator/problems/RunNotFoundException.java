package dev.optbench.orchestrator.problems;

import java.util.UUID;

/** No stored run has this id; mapped to 404. */
public class RunNotFoundException extends RuntimeException {
    public RunNotFoundException(UUID id) {
        super("no run with id " + id);
    }
}
