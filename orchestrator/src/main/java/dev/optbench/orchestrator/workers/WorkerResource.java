package dev.optbench.orchestrator.workers;

import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.orchestrator.storage.StoredJson;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The workers that announced themselves, with what they last said. */
@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalogue")
public class WorkerResource {

    public record WorkerView(String id, String pool, Instant lastSeenAt, Environment environment, List<String> acceptedFlags) {
    }

    @GET
    @Operation(summary = "Known workers", description = "Each worker's pool, when it last announced itself, its environment "
            + "(llama.cpp build, devices, CPU) and the flags its llama-server accepts; optionally of one pool.")
    public List<WorkerView> workers(@QueryParam("pool") String pool) {
        List<WorkerEntity> workers = pool == null || pool.isBlank()
                ? WorkerEntity.listAll(Sort.by("pool").and("id"))
                : WorkerEntity.list("pool", Sort.by("id"), pool);
        return workers.stream().map(WorkerResource::view).toList();
    }

    private static WorkerView view(WorkerEntity worker) {
        WorkerCapabilities capabilities = StoredJson.read(worker.capabilities, WorkerCapabilities.class);
        return new WorkerView(worker.id, worker.pool, worker.lastSeenAt, capabilities.environment(), capabilities.acceptedFlags());
    }
}
