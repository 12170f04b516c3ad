package dev.optbench.worker.rest;

import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.worker.jobs.CapabilitiesPublisher;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What this worker is: the capabilities it announces on {@code bench.events}.
 */
@Path("/api/worker")
public class WorkerResource {
    private final CapabilitiesPublisher capabilities;

    @Inject
    public WorkerResource(CapabilitiesPublisher capabilities) {
        this.capabilities = capabilities;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The worker's id, pool, environment and the llama-server flags its binary accepts")
    public WorkerCapabilities capabilities() {
        return capabilities.capabilities();
    }
}
