package dev.optbench.orchestrator.runs.rest;

import dev.optbench.orchestrator.problems.InvalidFieldsException;
import dev.optbench.orchestrator.problems.Problem;
import dev.optbench.orchestrator.runs.query.Comparison;
import dev.optbench.orchestrator.runs.query.RunQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Several runs side by side. */
@Path("/api/compare")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class CompareResource {
    private static final int MAX_RUNS = 10;

    private final RunQueries queries;

    public CompareResource(RunQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "Compare runs", description = "The stored summaries of 2 to 10 runs, paired by trial label; every run's "
            + "figures are compared with the first run's, e.g. the same variants on two pools or two llama.cpp builds.")
    @APIResponse(responseCode = "200", description = "The comparison")
    @APIResponse(responseCode = "400", description = "Fewer than two or malformed run ids",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "A run does not exist",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Comparison compare(@Parameter(description = "comma-separated run ids, the reference first", required = true)
                              @QueryParam("runs") String runs) {
        List<UUID> ids = new ArrayList<>();
        for (String part : runs == null ? new String[0] : runs.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                ids.add(UUID.fromString(part.strip()));
            } catch (IllegalArgumentException e) {
                throw InvalidFieldsException.of("runs", "'" + part.strip() + "' is not a run id");
            }
        }
        if (ids.size() < 2 || ids.size() > MAX_RUNS || ids.stream().distinct().count() != ids.size()) {
            throw InvalidFieldsException.of("runs", "must list 2 to " + MAX_RUNS + " different run ids, separated by commas");
        }
        return queries.compare(ids);
    }
}
