package dev.optbench.viz.rest;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Charts of several runs side by side: {@code /api/compare/charts/comparison.png?runs=ID,ID}.
 */
@Path("/api/compare/charts")
@Tag(name = "charts")
public class CompareResource {
    private final ChartResponder responder;

    public CompareResource(ChartResponder responder) {
        this.responder = responder;
    }

    @GET
    @Path("/{file}")
    @Operation(summary = "A chart of several runs side by side; each label names its run")
    public Response chart(@Parameter(description = "chart name and format, e.g. pareto.svg") @PathParam("file") String file,
                          @Parameter(description = "run ids, repeated or comma-separated") @QueryParam("runs") List<String> runs,
                          @BeanParam ChartQuery query) {
        return responder.compare(runs, file, query);
    }
}
