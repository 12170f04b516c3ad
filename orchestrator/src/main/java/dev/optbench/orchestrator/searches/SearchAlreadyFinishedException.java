package dev.optbench.orchestrator.searches;

import java.util.UUID;

/** A cancel of a search that already ended; mapped to 409. */
public class SearchAlreadyFinishedException extends RuntimeException {
    public SearchAlreadyFinishedException(UUID id, SearchStatus status) {
        super("search " + id + " already ended: " + status);
    }
}
