package dev.optbench.orchestrator.prompts;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The prompt sets a run spec can name as {@code workload.prompts}. */
@Path("/api/prompt-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalogue")
public class PromptSetResource {
    private final PromptSetCatalogue catalogue;

    public PromptSetResource(PromptSetCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public record PromptSetOverview(String ref, String name, String description, int conversations, int turns, int maxTurns,
                                    boolean hasReferences) {
    }

    @GET
    @Operation(summary = "Shipped prompt sets", description = "Name them in a run spec as workload.prompts, e.g. builtin:classification.")
    public List<PromptSetOverview> list() {
        return catalogue.all().stream().map(set -> new PromptSetOverview(set.ref(), set.name(), set.description(),
                set.conversations().size(), set.turns(), set.maxTurns(), set.hasReferences())).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One prompt set", description = "Its conversations, turns and reference answers.")
    public PromptSet get(@PathParam("name") String name) {
        return catalogue.find(name).orElseThrow(() -> new NotFoundException("no prompt set " + name + "; see GET /api/prompt-sets"));
    }
}
