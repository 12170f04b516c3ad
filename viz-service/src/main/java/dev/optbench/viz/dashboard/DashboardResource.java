package dev.optbench.viz.dashboard;

import dev.optbench.contracts.summary.Metric;
import dev.optbench.viz.charts.ChartKind;
import dev.optbench.viz.config.VizConfig;
import dev.optbench.viz.runs.RunDetail;
import dev.optbench.viz.runs.RunIds;
import dev.optbench.viz.runs.RunOverview;
import dev.optbench.viz.runs.RunRepository;
import dev.optbench.viz.runs.RunService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's pages, rendered on the server: the run list, a run, and several runs compared. The pages
 * ask the chart endpoints for pictures and, while a run goes on, fetch the run's live parts (status and
 * progress, the trials) again.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance runs(List<RunOverview> runs, List<String> statuses, String status,
                                                   String search, int page, boolean more);

        public static native TemplateInstance run(RunDetail detail, List<ChartKind> charts, List<Metric> metrics,
                                                  List<String> axes, int refreshSeconds);

        public static native TemplateInstance run$live(RunDetail detail);

        public static native TemplateInstance run$trials(RunDetail detail);

        public static native TemplateInstance compare(List<RunDetail> runs, String runIds, List<String> variantNames,
                                                      List<ChartKind> charts, List<Metric> metrics);

        public static native TemplateInstance error(int status, String title, String detail);
    }

    /** Charts that make sense across runs; ablation and history belong to one run's page. */
    private static final List<ChartKind> COMPARE_CHARTS = List.of(ChartKind.COMPARISON, ChartKind.SUMMARY,
            ChartKind.PARETO, ChartKind.ROUNDS, ChartKind.PROGRESS);

    private final RunService runs;
    private final VizConfig config;

    public DashboardResource(RunService runs, VizConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance runs(@QueryParam("status") String status, @QueryParam("q") String search,
                                 @QueryParam("page") @DefaultValue("0") int page) {
        List<RunOverview> list = runs.list(status, search, page);
        List<String> statuses = new ArrayList<>(List.of(RunRepository.ACTIVE, RunRepository.FINISHED));
        statuses.addAll(runs.statuses());
        return Templates.runs(list, statuses, status == null ? "" : status, search == null ? "" : search,
                Math.max(0, page), list.size() == config.runsPageSize());
    }

    @GET
    @Path("runs/{runId}")
    @Operation(hidden = true)
    public TemplateInstance run(@PathParam("runId") String runId) {
        RunDetail detail = runs.detail(RunIds.parse(runId));
        List<String> axes = detail.trials().stream().flatMap(t -> t.sweepValues().keySet().stream()).distinct().toList();
        return Templates.run(detail, Arrays.asList(ChartKind.values()), Arrays.asList(Metric.values()), axes,
                config.refreshSeconds());
    }

    @GET
    @Path("runs/{runId}/live")
    @Operation(hidden = true)
    public TemplateInstance live(@PathParam("runId") String runId) {
        return Templates.run$live(runs.detail(RunIds.parse(runId)));
    }

    @GET
    @Path("runs/{runId}/trials")
    @Operation(hidden = true)
    public TemplateInstance trials(@PathParam("runId") String runId) {
        return Templates.run$trials(runs.detail(RunIds.parse(runId)));
    }

    @GET
    @Path("compare")
    @Operation(hidden = true)
    public TemplateInstance compare(@QueryParam("runs") List<String> runIds) {
        List<UUID> ids = RunIds.parseAll(runIds);
        List<RunDetail> details = ids.stream().map(runs::detail).toList();
        List<String> variantNames = details.stream().flatMap(d -> d.variantNames().stream()).distinct().toList();
        return Templates.compare(details, String.join(",", ids.stream().map(UUID::toString).toList()), variantNames,
                COMPARE_CHARTS, Arrays.asList(Metric.values()));
    }
}
