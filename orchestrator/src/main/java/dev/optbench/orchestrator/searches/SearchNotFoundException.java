package dev.optbench.orchestrator.searches;

import java.util.UUID;

/** No stored search has this id; mapped to 404. */
public class SearchNotFoundException extends RuntimeException {
    public SearchNotFoundException(UUID id) {
        super("no search with id " + id);
    }
}
