package dev.optbench.orchestrator.searches.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.search.SearchResult;
import dev.optbench.orchestrator.searches.SearchStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A search as the API shows it: its spec, where it stands, the runs it drove and its result so far.
 *
 * @param phase SCREEN, EXPLORE, FINAL or DONE
 */
public record SearchView(
        UUID id,
        String name,
        String pool,
        SearchStatus status,
        String reason,
        String phase,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        @Schema(description = "the search spec as submitted") JsonNode spec,
        List<SearchRunView> runs,
        SearchResult result) {

    /** One run the search drove: its round and stage, and how many trials it holds. */
    public record SearchRunView(UUID runId, int round, String stage, int trials, boolean evaluated) {
    }

    /** A search in the list. */
    public record Item(UUID id, String name, String pool, SearchStatus status, Instant createdAt, Instant finishedAt,
                       int trialsSpent, Integer trialBudget, String recommendation) {
    }
}
