package dev.optbench.orchestrator.searches.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.search.SearchResult;
import dev.optbench.contracts.search.SearchSpec;
import dev.optbench.orchestrator.OrchestratorApi;
import dev.optbench.orchestrator.problems.Problem;
import dev.optbench.orchestrator.searches.SearchEntity;
import dev.optbench.orchestrator.searches.SearchNotFoundException;
import dev.optbench.orchestrator.searches.SearchService;
import dev.optbench.orchestrator.searches.SearchState;
import dev.optbench.orchestrator.searches.SearchStatus;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.spec.SearchSpecReader;
import dev.optbench.orchestrator.searches.spec.SearchValidator;
import dev.optbench.orchestrator.storage.StoredJson;
import dev.optbench.orchestrator.workers.PoolAnnouncements;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.transaction.Transactional;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Searches: the optimizer's requests, driven as ordinary runs. */
@Path("/api/searches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "searches")
public class SearchResource {
    private static final Logger LOG = Logger.getLogger(SearchResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLE = """
            {"name": "tiny-speed", "pool": "cpu", "models": ["synthetic:tiny"],
             "space": {"flags": {"--flash-attn": ["on", "off"], "--threads": {"from": 1, "to": 2},
                                 "--cache-type-k": ["f16", "q8_0"]},
                       "quantizations": ["F16", "Q8_0", "Q4_0"], "pruneLevels": [2]},
             "objective": "maxGenerationTokensPerSecond",
             "constraints": {"maxKlDivergence": 0.0002, "peakMemoryWithinDevice": true},
             "budget": {"trials": 14},
             "workload": {"prompts": "builtin:assistant-mix", "rounds": 1, "repetitions": 2, "maxTokens": 48}}""";

    private final SearchValidator validator;
    private final SearchService searches;
    private final PoolAnnouncements pools;

    public SearchResource(SearchValidator validator, SearchService searches, PoolAnnouncements pools) {
        this.validator = validator;
        this.searches = searches;
        this.pools = pools;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = OrchestratorApi.API_KEY)
    @Operation(summary = "Start a search", description = "Validates the search spec, stores the search and submits its screening "
            + "run (the baseline's flags on every artifact, with perplexity and KL divergence). The search then drives "
            + "exploration runs (first a batch covering every pair of flag values, then configurations proposed by a "
            + "Gaussian process; short workload) and the finalists' interleaved full-workload runs, all ordinary runs, "
            + "until its budget is spent.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SearchSpec.class), examples = @ExampleObject(name = "tiny-speed", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Stored; its screening run is queued",
            content = @Content(schema = @Schema(implementation = SearchView.class)))
    @APIResponse(responseCode = "400", description = "Every bad field, named by its path; nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(String body) {
        SearchSpec spec = SearchSpecReader.read(body);
        PlannedSearch planned = validator.validate(spec, pools.of(spec.pool()));
        UUID id = searches.create(planned);
        LOG.debugf("POST /api/searches: search %s over %d configurations", id, planned.spaceSize());
        return Response.created(URI.create("/api/searches/" + id)).entity(get(id)).build();
    }

    @GET
    @Transactional
    @Operation(summary = "List searches", description = "Newest first, paginated (page counts from 0).")
    public List<SearchView.Item> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        return SearchEntity.<SearchEntity>findAll(Sort.descending("createdAt"))
                .page(Page.of(Math.max(0, page), Math.min(Math.max(1, size), 200))).list().stream()
                .map(SearchResource::item).toList();
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "One search", description = "Its spec, phase, the runs it drove and its result: every trial with its "
            + "objective, roofline share and constraints, best-so-far progress, and once it ends the recommendation (gain "
            + "against the baseline with its 95 % interval, quality evidence, llama-server command line) and the Pareto front.")
    @APIResponse(responseCode = "404", description = "No such search",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SearchView get(@PathParam("id") UUID id) {
        SearchEntity entity = SearchEntity.<SearchEntity>findByIdOptional(id).orElseThrow(() -> new SearchNotFoundException(id));
        SearchState state = StoredJson.read(entity.state, SearchState.class);
        List<SearchView.SearchRunView> runs = state.runs().stream()
                .map(r -> new SearchView.SearchRunView(r.runId(), r.round(), r.stage(), r.trials().size(), r.evaluated())).toList();
        try {
            return new SearchView(entity.id, entity.name, entity.pool, entity.status, entity.reason, state.phase(), entity.createdAt,
                    entity.updatedAt, entity.finishedAt, JSON.readTree(entity.spec), runs,
                    entity.result == null ? null : StoredJson.read(entity.result, SearchResult.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored search spec of " + id + " is not JSON", e);
        }
    }

    @POST
    @Path("/{id}/cancel")
    @SecurityRequirement(name = OrchestratorApi.API_KEY)
    @Operation(summary = "Cancel a search", description = "Cancels its open runs; what it measured stays in its result.")
    @APIResponse(responseCode = "404", description = "No such search",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The search already ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> cancel(@PathParam("id") UUID id) {
        SearchStatus status = searches.cancel(id);
        return Map.of("searchId", id, "status", status);
    }

    private static SearchView.Item item(SearchEntity entity) {
        SearchResult result = entity.result == null ? null : StoredJson.read(entity.result, SearchResult.class);
        return new SearchView.Item(entity.id, entity.name, entity.pool, entity.status, entity.createdAt, entity.finishedAt,
                result == null ? 0 : result.trialsSpent(), result == null ? null : result.trialBudget(),
                result == null || result.recommendation() == null ? null : result.recommendation().label());
    }
}
