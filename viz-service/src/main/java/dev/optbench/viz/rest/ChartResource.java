package dev.optbench.viz.rest;

import dev.optbench.viz.runs.RunIds;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every chart of a stored run: {@code /api/runs/{id}/charts/comparison.png}, {@code .svg}, {@code .csv},
 * {@code .json}.
 */
@Path("/api/runs/{runId}/charts")
@Tag(name = "charts")
public class ChartResource {
    private final ChartResponder responder;

    public ChartResource(ChartResponder responder) {
        this.responder = responder;
    }

    @GET
    @Path("/{file}")
    @Operation(summary = "A chart of one run: comparison, rounds, ablation, pareto, summary, progress or history, "
            + "as .png, .svg, .csv or .json")
    public Response chart(@PathParam("runId") String runId,
                          @Parameter(description = "chart name and format, e.g. comparison.png") @PathParam("file") String file,
                          @BeanParam ChartQuery query) {
        return responder.chart(List.of(RunIds.parse(runId)), file, query);
    }
}
