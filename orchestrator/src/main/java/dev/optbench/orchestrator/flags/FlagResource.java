package dev.optbench.orchestrator.flags;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRule;
import dev.optbench.orchestrator.workers.PoolAnnouncements;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The llama-server flags a run spec may set, those it may not, and what a pool's workers accept. */
@Path("/api/flags")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalogue")
public class FlagResource {
    private final PoolAnnouncements pools;

    public FlagResource(PoolAnnouncements pools) {
        this.pools = pools;
    }

    /**
     * @param acceptedByPool whether the pool's latest worker announced this flag; null without a pool, or before any
     *                       worker of the pool announced its flags
     */
    public record AllowedFlag(String name, List<String> aliases, String kind, String takes, List<String> choices,
                              BigDecimal min, BigDecimal max, Boolean acceptedByPool) {
    }

    public record ForbiddenFlag(String name, String reason) {
    }

    public record FlagCatalogue(List<AllowedFlag> allowed, List<ForbiddenFlag> forbidden, String pool, boolean poolAnnounced) {
    }

    @GET
    @Operation(summary = "The flag allowlist", description = "Every flag a variant may set with the values it takes (checked "
            + "against the pinned llama.cpp release), every flag it may not set with the reason; with ?pool= also whether the "
            + "pool's workers' llama-server accepts each.")
    public FlagCatalogue flags(@Parameter(description = "a pool whose workers' announced flags to mark") @QueryParam("pool") String pool) {
        FlagPolicy policy = FlagPolicy.pinnedRelease();
        List<String> accepted = pools.of(pool).acceptedFlags();
        List<AllowedFlag> allowed = policy.canonicalNames().stream().sorted().map(policy::rule)
                .map(rule -> allowed(rule, accepted)).toList();
        List<ForbiddenFlag> forbidden = policy.forbidden().entrySet().stream()
                .map(e -> new ForbiddenFlag(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(ForbiddenFlag::name)).toList();
        return new FlagCatalogue(allowed, forbidden, pool, accepted != null);
    }

    private static AllowedFlag allowed(FlagRule rule, List<String> accepted) {
        return new AllowedFlag(rule.canonicalName(), rule.names().subList(1, rule.names().size()),
                rule.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), rule.expected(),
                rule.choices().isEmpty() ? null : rule.choices(), rule.min(), rule.max(),
                accepted == null ? null : rule.names().stream().anyMatch(accepted::contains));
    }
}
