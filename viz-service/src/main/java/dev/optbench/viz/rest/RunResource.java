package dev.optbench.viz.rest;

import dev.optbench.viz.runs.RunDetail;
import dev.optbench.viz.runs.RunIds;
import dev.optbench.viz.runs.RunOverview;
import dev.optbench.viz.runs.RunService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The stored runs as JSON, read-only: what the dashboard shows, for scripts and for the page's live updates.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {
    private final RunService runs;

    public RunResource(RunService runs) {
        this.runs = runs;
    }

    @GET
    @Operation(summary = "Runs newest first; status=active|finished|<stored status>, q= searches name, id, pool and models")
    public List<RunOverview> list(@QueryParam("status") String status, @QueryParam("q") String search,
                                  @QueryParam("page") @DefaultValue("0") int page) {
        return runs.list(status, search, page);
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "A run with its trials, their progress, failures and summaries")
    public RunDetail run(@PathParam("runId") String runId) {
        return runs.detail(RunIds.parse(runId));
    }
}
