package dev.optbench.orchestrator.runs;

import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.RunCancelled;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.Variant;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.spec.QualitySpec;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.orchestrator.judging.JudgeRequestPlanner;
import dev.optbench.orchestrator.metrics.OrchestratorMetrics;
import dev.optbench.orchestrator.outbox.Outbox;
import dev.optbench.orchestrator.outbox.OutboxMessage;
import dev.optbench.orchestrator.problems.RunAlreadyFinishedException;
import dev.optbench.orchestrator.problems.RunNotFoundException;
import dev.optbench.orchestrator.runs.spec.PlannedRun;
import dev.optbench.orchestrator.runs.spec.PlannedRun.PlannedArtifact;
import dev.optbench.orchestrator.runs.spec.PlannedRun.PlannedVariant;
import dev.optbench.orchestrator.storage.StoredJson;
import dev.optbench.orchestrator.summaries.TrialSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.jboss.logging.Logger;

/**
 * Stores runs and changes their status: submit (the run, its variants, artifacts, trials and one job per trial
 * in the outbox, in one transaction), cancel, and completion when every trial is final. Every status change of a
 * run happens with the run's row locked, so two trials finishing at once cannot both miss the run's end.
 */
@ApplicationScoped
public class RunService {
    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final String CANCELLED_REASON = "the run was cancelled";

    private final Outbox outbox;
    private final TrialSummaries summaries;
    private final JudgeRequestPlanner judging;
    private final OrchestratorMetrics metrics;

    public RunService(Outbox outbox, TrialSummaries summaries, JudgeRequestPlanner judging, OrchestratorMetrics metrics) {
        this.outbox = outbox;
        this.summaries = summaries;
        this.judging = judging;
        this.metrics = metrics;
    }

    /** Stores a validated run and queues one job per trial; returns the run's id. */
    @Transactional
    public UUID submit(PlannedRun plan) {
        return submit(plan, (variant, artifact) -> true);
    }

    /**
     * Stores a validated run with the trials {@code include} picks out of its variants × artifacts (a search runs only
     * the configurations it chose) and queues one job per trial; returns the run's id.
     */
    @Transactional
    public UUID submit(PlannedRun plan, BiPredicate<PlannedVariant, PlannedArtifact> include) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.name = plan.name();
        run.pool = plan.pool();
        run.status = RunStatus.QUEUED;
        run.spec = Messages.toJson(plan.spec());
        run.workload = Messages.toJson(plan.workload());
        run.createdAt = now;
        run.updatedAt = now;
        run.persist();

        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < plan.variants().size(); i++) {
            variants.add(persistVariant(run.id, i, plan.variants().get(i)));
        }
        List<ArtifactEntity> artifacts = new ArrayList<>();
        Map<Integer, ArtifactEntity> firstOfModel = new HashMap<>();
        for (int i = 0; i < plan.artifacts().size(); i++) {
            ArtifactEntity artifact = persistArtifact(run.id, i, plan.artifacts().get(i));
            artifacts.add(artifact);
            firstOfModel.putIfAbsent(artifact.modelIndex, artifact);
        }

        // Counted first, so that each job can say which of how many trials of its run it is.
        int trialCount = 0;
        for (PlannedArtifact artifact : plan.artifacts()) {
            for (PlannedVariant variant : plan.variants()) {
                trialCount += include.test(variant, artifact) ? 1 : 0;
            }
        }
        int trialIndex = 0;
        List<OutboxMessage> jobs = new ArrayList<>();
        for (int a = 0; a < artifacts.size(); a++) {
            ArtifactEntity artifact = artifacts.get(a);
            ArtifactEntity first = firstOfModel.get(artifact.modelIndex);
            ArtifactSpec baselineArtifact = first == artifact ? null : first.toSpec();
            for (int v = 0; v < variants.size(); v++) {
                if (!include.test(plan.variants().get(v), plan.artifacts().get(a))) {
                    continue;
                }
                Variant variant = variants.get(v);
                TrialEntity trial = new TrialEntity();
                trial.id = UUID.randomUUID();
                trial.runId = run.id;
                trial.variantId = variant.variantId();
                trial.artifactId = artifact.id;
                trial.status = TrialStatus.PENDING;
                trial.samplesTotal = plan.workload().sampleCount();
                trial.createdAt = now;
                trial.persist();
                String corpus = variant.baseline() ? plan.perplexityCorpus() : null;
                TrialJob job = new TrialJob(SchemaVersion.CURRENT, run.id, trial.id, run.name, run.pool, artifact.toSpec(),
                        baselineArtifact, variant, plan.workload(), corpus, now, trialIndex++, trialCount);
                jobs.add(new OutboxMessage(Topics.jobs(run.pool), trial.id.toString(), job, run.id, trial.id));
            }
        }
        outbox.add(jobs);
        metrics.runSubmitted();
        LOG.debugf("run %s '%s' stored: %d variant(s) × %d artifact(s) on pool %s", run.id, run.name, variants.size(), artifacts.size(), run.pool);
        return run.id;
    }

    private static Variant persistVariant(UUID runId, int position, PlannedVariant planned) {
        VariantEntity variant = new VariantEntity();
        variant.id = UUID.randomUUID();
        variant.runId = runId;
        variant.position = position;
        variant.name = planned.name();
        variant.baseline = planned.baseline();
        variant.flags = Messages.toJson(planned.flags());
        variant.sweepValues = planned.sweepValues() == null ? null : Messages.toJson(planned.sweepValues());
        variant.persist();
        return new Variant(variant.id, variant.name, variant.baseline, planned.flags());
    }

    private static ArtifactEntity persistArtifact(UUID runId, int position, PlannedArtifact planned) {
        ArtifactEntity artifact = new ArtifactEntity();
        artifact.id = UUID.randomUUID();
        artifact.runId = runId;
        artifact.position = position;
        artifact.modelIndex = planned.modelIndex();
        artifact.label = planned.label();
        artifact.modelRef = planned.modelRef();
        artifact.quantization = planned.quantization();
        artifact.pruneLayers = planned.pruneLayers();
        artifact.pruneFrom = planned.pruneFrom();
        artifact.persist();
        return artifact;
    }

    /** What a cancel did. */
    public record Cancellation(UUID runId, RunStatus status, int cancelledTrials, int droppedJobs) {
    }

    /**
     * Cancels a run: its unpublished jobs are dropped from the outbox, every trial that is not final becomes
     * CANCELLED, and workers are told through {@code bench.control} to abort the run's trials.
     */
    @Transactional
    public Cancellation cancel(UUID runId) {
        // Outbox rows first, then the run: the relay locks in the same order, so the two cannot deadlock.
        int dropped = outbox.dropUnpublishedJobs(runId);
        RunEntity run = RunEntity.lockedById(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status.isFinal()) {
            throw new RunAlreadyFinishedException(runId, run.status);
        }
        Instant now = Instant.now();
        List<UUID> cancelled = new ArrayList<>();
        for (TrialEntity trial : TrialEntity.ofRun(runId)) {
            if (trial.moveTo(TrialStatus.CANCELLED)) {
                trial.reason = CANCELLED_REASON;
                trial.finishedAt = now;
                cancelled.add(trial.id);
            }
        }
        run.status = RunStatus.CANCELLED;
        run.updatedAt = now;
        run.finishedAt = now;
        outbox.add(List.of(new OutboxMessage(Topics.CONTROL, runId.toString(),
                new RunCancelled(SchemaVersion.CURRENT, runId, now), runId, null)));
        summaries.summarise(runId, cancelled);
        LOG.debugf("run %s cancelled: %d trial(s) cancelled, %d unpublished job(s) dropped", runId, cancelled.size(), dropped);
        return new Cancellation(runId, run.status, cancelled.size(), dropped);
    }

    /** A trial whose job Kafka refused for good fails with the reason (and may be the run's last open trial). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void failUndispatchable(UUID trialId, String reason) {
        TrialEntity trial = TrialEntity.findById(trialId);
        if (trial == null || !trial.moveTo(TrialStatus.FAILED)) {
            return;
        }
        trial.reason = reason;
        trial.finishedAt = Instant.now();
        summaries.summarise(trial.runId, List.of(trial.id));
        completeIfDone(trial.runId);
    }

    /** A trial of the run started: a queued run becomes RUNNING. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markRunning(UUID runId) {
        RunEntity.update("status = ?1, updatedAt = ?2 where id = ?3 and status = ?4", RunStatus.RUNNING, Instant.now(), runId, RunStatus.QUEUED);
    }

    /**
     * Locks the run and completes it when every trial is final; a run that asks for judging gets its judge requests
     * then, exactly once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeIfDone(UUID runId) {
        RunEntity run = RunEntity.lockedById(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status.isFinal()) {
            return;
        }
        long open = TrialEntity.count("runId = ?1 and status not in ?2", runId,
                List.of(TrialStatus.SUCCEEDED, TrialStatus.FAILED, TrialStatus.CANCELLED));
        if (open > 0) {
            return;
        }
        Instant now = Instant.now();
        run.status = RunStatus.COMPLETED;
        run.updatedAt = now;
        run.finishedAt = now;
        QualitySpec quality = StoredJson.read(run.spec, RunSpec.class).quality();
        if (quality != null && Boolean.TRUE.equals(quality.judge())) {
            run.judgeRequests = judging.plan(runId, StoredJson.read(run.workload, Workload.class), quality.judgeModel());
        }
        LOG.debugf("run %s completed", runId);
    }
}
