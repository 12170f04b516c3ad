package dev.optbench.worker.rest;

import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.worker.artifacts.ArtifactException;
import dev.optbench.worker.artifacts.ArtifactStore;
import dev.optbench.worker.server.LlamaBinary;
import dev.optbench.worker.server.LlamaServerProcess;
import dev.optbench.worker.server.LogTail;
import dev.optbench.worker.trial.TrialHistory;
import dev.optbench.worker.trial.TrialRunner;
import dev.optbench.worker.trial.TrialScript;
import dev.optbench.contracts.flags.FlagRejectedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The trials this worker ran, their logs, and replay scripts: a trial as a shell script with the exact
 * llama-server argv and the same requests, to run again by hand on any box.
 */
@Path("/api/trials")
public class TrialResource {
    private static final String SHELL = "text/x-shellscript";

    private final TrialHistory history;
    private final TrialRunner runner;
    private final ArtifactStore artifacts;
    private final LlamaBinary binary;

    @Inject
    public TrialResource(TrialHistory history, TrialRunner runner, LlamaBinary binary) {
        this.history = history;
        this.runner = runner;
        this.artifacts = runner.artifacts();
        this.binary = binary;
    }

    /** One recently run trial. */
    public record TrialView(UUID trialId, UUID runId, String variant, String artifact, TrialStatus status, String reason,
                            Long loadMillis, int sampleCount, Instant finishedAt) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The trials this worker ran since it started, newest first (at most 100)")
    public List<TrialView> recent() {
        return history.recent().stream().map(e -> new TrialView(e.job().trialId(), e.job().runId(), e.job().variant().name(),
                e.job().artifact().label(), e.finished().status(), e.finished().reason(), e.finished().loadMillis(),
                e.finished().sampleCount(), e.finished().finishedAt())).toList();
    }

    @GET
    @Path("/{trialId}/script")
    @Produces(SHELL)
    @Operation(summary = "A trial this worker ran, as a bash script: the exact llama-server argv and the same requests")
    public String script(@PathParam("trialId") UUID trialId) throws IOException {
        java.nio.file.Path file = trialDir(trialId).resolve("replay.sh");
        if (!Files.exists(file)) {
            throw new WebApplicationException("no replay script for trial " + trialId + " on this worker", Response.Status.NOT_FOUND);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @GET
    @Path("/{trialId}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The end of a trial's llama-server log (the last 2000 lines)")
    public String log(@PathParam("trialId") UUID trialId) {
        java.nio.file.Path file = trialDir(trialId).resolve("server.log");
        if (!Files.exists(file)) {
            throw new WebApplicationException("no server log for trial " + trialId + " on this worker", Response.Status.NOT_FOUND);
        }
        return LogTail.text(file, 2000);
    }

    @POST
    @Path("/script")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(SHELL)
    @Operation(summary = "A trial job (as on bench.jobs.<pool>) as a bash script, without running it here")
    public String scriptForJob(String body) {
        TrialJob job;
        try {
            job = Messages.fromJson(body, TrialJob.class);
        } catch (MalformedMessageException e) {
            throw badRequest(e.getMessage());
        }
        if (job.artifact() == null || job.variant() == null || job.workload() == null || job.workload().conversations() == null
                || job.workload().conversations().isEmpty()) {
            throw badRequest("a trial job needs artifact, variant and a workload with conversations");
        }
        try {
            LlamaServerProcess.Launch launch = new LlamaServerProcess.Launch(binary.server(), artifacts.plannedPath(job.artifact()),
                    runner.serverArguments(job), null, null, 0);
            return TrialScript.render(job, LlamaServerProcess.argv(launch, "8089"), Map.of());
        } catch (FlagRejectedException e) {
            throw badRequest("flag " + e.getMessage());
        } catch (ArtifactException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** A 400 whose plain-text body says what is wrong with the job. */
    private static WebApplicationException badRequest(String message) {
        return new WebApplicationException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN).entity(message).build());
    }

    private java.nio.file.Path trialDir(UUID trialId) {
        return history.find(trialId).map(TrialHistory.Entry::dir).orElse(runner.trialsDir().resolve(trialId.toString()));
    }
}
