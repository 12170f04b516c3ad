package dev.optbench.orchestrator.runs.rest;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.flags.FlagRule;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.orchestrator.OrchestratorApi;
import dev.optbench.orchestrator.config.OrchestratorConfig;
import dev.optbench.orchestrator.problems.InvalidFieldsException;
import dev.optbench.orchestrator.problems.Problem;
import dev.optbench.orchestrator.runs.RunService;
import dev.optbench.orchestrator.runs.RunStatus;
import dev.optbench.orchestrator.runs.query.FlatRows;
import dev.optbench.orchestrator.runs.query.Page;
import dev.optbench.orchestrator.runs.query.RunDetail;
import dev.optbench.orchestrator.runs.query.RunExport;
import dev.optbench.orchestrator.runs.query.RunFilter;
import dev.optbench.orchestrator.runs.query.RunListItem;
import dev.optbench.orchestrator.runs.query.RunQueries;
import dev.optbench.orchestrator.runs.query.SampleRow;
import dev.optbench.orchestrator.runs.spec.FieldErrors;
import dev.optbench.orchestrator.runs.spec.PlannedRun;
import dev.optbench.orchestrator.runs.spec.RunSpecReader;
import dev.optbench.orchestrator.runs.spec.RunSpecValidator;
import dev.optbench.orchestrator.workers.PoolAnnouncements;
import dev.optbench.orchestrator.workers.PoolCapabilities;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Runs: submit, list, read, cancel, their samples and exports. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {
    private static final Logger LOG = Logger.getLogger(RunResource.class);
    private static final String EXAMPLE = """
            {"name": "golden-trace", "pool": "cpu",
             "models": [{"ref": "synthetic:tiny", "quantizations": ["F16", "Q8_0", "Q4_K_M"]}],
             "baseline": {"name": "Baseline", "flags": {}},
             "variants": [
               {"name": "Flash Attention + Cache f16",
                "flags": {"--flash-attn": null, "--cache-type-k": "f16", "--cache-type-v": "f16", "--threads": 4}},
               {"name": "KV q8_0", "flags": {"--flash-attn": "on", "--cache-type-k": "q8_0", "--cache-type-v": "q8_0"}}],
             "sweep": {"name": "window", "base": {"--context-shift": null},
                       "axes": {"--ctx-size": [256, 512], "--keep": [0, 4]}},
             "workload": {"prompts": "builtin:assistant-mix", "rounds": 5, "repetitions": 3,
                          "maxTokens": 128, "temperature": 0, "seed": 42, "concurrency": [1, 4]},
             "quality": {"judge": true, "perplexity": {"corpus": "builtin:sample-text"}}}""";
    private static final String PROBLEM_400 = "Every bad field, named by its path (e.g. variants[1].flags.--port); nothing is stored";

    private final RunSpecValidator validator;
    private final PoolAnnouncements pools;
    private final RunService runs;
    private final RunQueries queries;
    private final RunExport export;
    private final OrchestratorConfig.Queries paging;

    public RunResource(RunSpecValidator validator, PoolAnnouncements pools, RunService runs, RunQueries queries, RunExport export,
                       OrchestratorConfig config) {
        this.validator = validator;
        this.pools = pools;
        this.runs = runs;
        this.queries = queries;
        this.export = export;
        this.paging = config.queries();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = OrchestratorApi.API_KEY)
    @Operation(summary = "Submit a run", description = "Validates the run spec, stores the run with one trial per variant × model "
            + "artifact and queues one job per trial on bench.jobs.<pool>. Defaults: baseline {\"name\": \"Baseline\", \"flags\": {}}, "
            + "prompts builtin:assistant-mix, every turn of each conversation, 1 repetition, maxTokens 128, temperature 0, "
            + "seed 42, concurrency [1]. A flag with a null value is a flag without a value; flag order is kept.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RunSpec.class), examples = @ExampleObject(name = "golden-trace", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Stored; its jobs are queued",
            content = @Content(schema = @Schema(implementation = RunDetail.class)))
    @APIResponse(responseCode = "400", description = PROBLEM_400,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong X-API-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(String body) {
        FieldErrors errors = new FieldErrors();
        RunSpec spec = RunSpecReader.read(body, errors);
        PoolCapabilities capabilities = pools.of(spec == null ? null : spec.pool());
        PlannedRun plan = validator.validate(spec, capabilities, errors);
        UUID id = runs.submit(plan);
        LOG.debugf("POST /api/runs: run %s with %d trial(s)", id, plan.trialCount());
        return Response.created(URI.create("/api/runs/" + id)).entity(queries.detail(id)).build();
    }

    @GET
    @Operation(summary = "List runs", description = "Newest first, filtered and paginated (page counts from 0).")
    @APIResponse(responseCode = "200", description = "A page of runs")
    @APIResponse(responseCode = "400", description = "A bad filter or page parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<RunListItem> list(
            @Parameter(description = "part of the run's name, any case") @QueryParam("name") String name,
            @Parameter(description = "part of a model ref, e.g. synthetic:tiny") @QueryParam("model") String model,
            @QueryParam("pool") String pool,
            @Parameter(description = "QUEUED, RUNNING, COMPLETED or CANCELLED") @QueryParam("status") String status,
            @Parameter(description = "a flag a variant sets, optionally with its value: --flash-attn or --cache-type-k=q8_0")
            @QueryParam("flag") String flag,
            @Parameter(description = "created at or after: an ISO date (2025-01-31) or instant") @QueryParam("from") String from,
            @Parameter(description = "created before: an ISO instant, or a date (the whole day included)") @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") Integer size) {
        String[] flagFilter = flag(flag);
        RunFilter filter = new RunFilter(blankToNull(name), blankToNull(model), blankToNull(pool), status(status),
                flagFilter[0], flagFilter[1], time("from", from, false), time("to", to, true));
        return queries.list(filter, page(page), size(size, paging.maxPageSize()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run", description = "Its variants, artifacts and trials (status, progress, failure reason, "
            + "environment), and the stored summary of each finished trial: latency, TTFT and tokens/s with p50/p95/p99 and "
            + "the median's confidence interval, load time, memory, model size, quality, per-round figures, and the change "
            + "against the baseline in percent, marked better or worse by the metric's direction.")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunDetail get(@PathParam("id") UUID id) {
        return queries.detail(id);
    }

    @GET
    @Path("/{id}/samples")
    @Operation(summary = "A run's samples", description = "One flat row per request, with its scores; paginated, optionally one trial's.")
    @APIResponse(responseCode = "200", description = "A page of samples")
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<SampleRow> samples(@PathParam("id") UUID id, @QueryParam("trial") UUID trial,
                                   @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") Integer size) {
        return queries.samples(id, trial, page(page), size(size, paging.maxSamplePageSize()));
    }

    @POST
    @Path("/{id}/cancel")
    @SecurityRequirement(name = OrchestratorApi.API_KEY)
    @Operation(summary = "Cancel a run", description = "Drops its jobs not yet dispatched, marks every unfinished trial CANCELLED "
            + "and tells workers (bench.control) to abort the run's trials.")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The run already ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunService.Cancellation cancel(@PathParam("id") UUID id) {
        return runs.cancel(id);
    }

    @GET
    @Path("/{id}/export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Export a run", description = "Flat rows as CSV or JSON: level=sample gives one row per request (every "
            + "figure, the prompt, the answer and its scores), level=trial one row per variant and artifact (every metric, its "
            + "change against the baseline and whether it is better).")
    @APIResponse(responseCode = "200", description = "The rows, as an attachment")
    @APIResponse(responseCode = "400", description = "A bad format or level",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response export(@PathParam("id") UUID id,
                           @Parameter(description = "csv or json") @QueryParam("format") @DefaultValue("csv") String format,
                           @Parameter(description = "sample or trial") @QueryParam("level") @DefaultValue("sample") String level) {
        FlatRows.Format chosen = switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> FlatRows.Format.CSV;
            case "json" -> FlatRows.Format.JSON;
            default -> throw InvalidFieldsException.of("format", "must be csv or json");
        };
        var body = switch (level.toLowerCase(Locale.ROOT)) {
            case "sample" -> export.samples(id, chosen);
            case "trial" -> export.trials(id, chosen);
            default -> throw InvalidFieldsException.of("level", "must be sample or trial");
        };
        String extension = chosen == FlatRows.Format.CSV ? "csv" : "json";
        return Response.ok(body, chosen == FlatRows.Format.CSV ? "text/csv; charset=utf-8" : MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"run-" + id + "-" + level.toLowerCase(Locale.ROOT) + "s." + extension + "\"")
                .build();
    }

    private static String[] flag(String flag) {
        if (flag == null || flag.isBlank()) {
            return new String[] {null, null};
        }
        int equals = flag.indexOf('=');
        String name = equals < 0 ? flag.strip() : flag.substring(0, equals).strip();
        String value = equals < 0 ? null : flag.substring(equals + 1).strip();
        FlagRule rule = FlagPolicy.pinnedRelease().rule(name);
        if (rule == null) {
            throw InvalidFieldsException.of("flag", "is not a flag a run spec may set (see GET /api/flags)");
        }
        if (value == null) {
            return new String[] {rule.canonicalName(), null};
        }
        try {
            return new String[] {rule.canonicalName(), FlagPolicy.pinnedRelease().normalise(name, value).value()};
        } catch (FlagRejectedException e) {
            throw InvalidFieldsException.of("flag", name + " " + e.getMessage());
        }
    }

    private static RunStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return RunStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidFieldsException.of("status", "must be one of QUEUED, RUNNING, COMPLETED, CANCELLED");
        }
    }

    private static Instant time(String parameter, String text, boolean endOfDay) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).plusDays(endOfDay ? 1 : 0).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeException e) {
            throw InvalidFieldsException.of(parameter, "must be an ISO date (2025-01-31) or instant (2025-01-31T12:00:00Z)");
        }
    }

    private static int page(int page) {
        if (page < 0) {
            throw InvalidFieldsException.of("page", "must be 0 or more");
        }
        return page;
    }

    private int size(Integer size, int max) {
        if (size == null) {
            return Math.min(paging.defaultPageSize(), max);
        }
        if (size < 1 || size > max) {
            throw InvalidFieldsException.of("size", "must be from 1 to " + max);
        }
        return size;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
