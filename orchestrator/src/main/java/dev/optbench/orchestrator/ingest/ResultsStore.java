package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialResult;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.orchestrator.metrics.OrchestratorMetrics;
import dev.optbench.orchestrator.problems.RunNotFoundException;
import dev.optbench.orchestrator.runs.ArtifactEntity;
import dev.optbench.orchestrator.runs.RunEntity;
import dev.optbench.orchestrator.runs.RunService;
import dev.optbench.orchestrator.runs.TrialEntity;
import dev.optbench.orchestrator.summaries.TrialSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Stores what workers publish on {@code bench.results}. Samples of a whole batch are upserted together
 * ({@link SampleRows}: binary COPY into a staging table, then one {@code INSERT ... ON CONFLICT (id) DO UPDATE}),
 * so a redelivered chunk rewrites the same rows and a retried trial's samples replace its earlier attempt's. Chunks
 * of a trial that is already final are ignored (a redelivery, or a run that was cancelled). A {@link TrialFinished}
 * moves the trial forward only, stores its measurements, its artifact's facts and its summary, and completes the
 * run when it was the last open trial.
 */
@ApplicationScoped
public class ResultsStore implements BatchStore<TrialResult> {
    private static final Logger LOG = Logger.getLogger(ResultsStore.class);

    private final Session session;
    private final RunService runs;
    private final TrialSummaries summaries;
    private final OrchestratorMetrics metrics;

    public ResultsStore(Session session, RunService runs, TrialSummaries summaries, OrchestratorMetrics metrics) {
        this.session = session;
        this.runs = runs;
        this.summaries = summaries;
        this.metrics = metrics;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Rejection> store(List<Parsed<TrialResult>> batch) {
        List<Rejection> rejected = new ArrayList<>();
        Map<UUID, SampleRows.Row> samples = new LinkedHashMap<>();
        Set<UUID> startedRuns = new LinkedHashSet<>();
        Set<UUID> startedTrials = new LinkedHashSet<>();
        List<TrialFinished> finished = new ArrayList<>();
        session.flush();
        session.doWork(connection -> {
            KnownTrials trials = KnownTrials.lookUp(connection, batch.stream().map(p -> p.message().trialId()).toList());
            for (Parsed<TrialResult> parsed : batch) {
                TrialResult result = parsed.message();
                String problem = trials.problem(result.trialId(), result.runId());
                if (problem == null) {
                    problem = switch (result) {
                        case SampleChunk chunk -> chunkProblem(chunk);
                        case TrialFinished end -> end.status() == null || !end.status().isFinal()
                                ? "a trial-finished message must carry SUCCEEDED, FAILED or CANCELLED, not " + end.status() : null;
                    };
                }
                if (problem != null) {
                    rejected.add(new Rejection(parsed.record(), problem));
                    continue;
                }
                KnownTrials.Trial trial = trials.get(result.trialId());
                switch (result) {
                    case SampleChunk chunk -> {
                        if (trial.status().isFinal()) {
                            LOG.debugf("chunk %d of trial %s ignored: the trial is already %s", chunk.chunkIndex(), chunk.trialId(), trial.status());
                        } else {
                            chunk.samples().forEach(s -> samples.put(s.sampleId(), new SampleRows.Row(chunk.trialId(), trial.runId(), s)));
                            // A trial already RUNNING has its run marked RUNNING (both move in one transaction).
                            if (trial.status() != TrialStatus.RUNNING) {
                                startedTrials.add(chunk.trialId());
                                startedRuns.add(trial.runId());
                            }
                        }
                    }
                    case TrialFinished end -> finished.add(end);
                }
            }
            SampleRows.upsert(connection, new ArrayList<>(samples.values()));
            markTrialsRunning(connection, startedTrials);
        });
        startedRuns.forEach(runs::markRunning);
        // Summaries and the run's completion once per run and batch, not once per finished trial.
        Map<UUID, List<UUID>> finishedByRun = new LinkedHashMap<>();
        for (TrialFinished end : finished) {
            if (finish(end)) {
                finishedByRun.computeIfAbsent(end.runId(), run -> new ArrayList<>()).add(end.trialId());
            }
        }
        finishedByRun.forEach((runId, trialIds) -> {
            summaries.summarise(runId, trialIds);
            runs.completeIfDone(runId);
        });
        metrics.samplesStored(samples.size());
        return rejected;
    }

    private static String chunkProblem(SampleChunk chunk) {
        if (chunk.samples() == null) {
            return "the sample chunk has no samples list";
        }
        for (Sample sample : chunk.samples()) {
            if (sample == null || sample.sampleId() == null || sample.conversationId() == null) {
                return "the sample chunk holds a sample without sampleId or conversationId";
            }
        }
        return null;
    }

    /** Stores a trial's end; false when the trial stays as it was (a redelivery, or a run already cancelled). */
    private boolean finish(TrialFinished end) {
        RunEntity.lockedById(end.runId()).orElseThrow(() -> new RunNotFoundException(end.runId()));
        TrialEntity trial = TrialEntity.findById(end.trialId());
        if (!trial.status.canMoveTo(end.status())) {
            LOG.debugf("trial %s stays %s: its %s result is a redelivery or came after the run was cancelled", trial.id, trial.status, end.status());
            return false;
        }
        trial.moveTo(end.status());
        trial.reason = end.reason();
        trial.stderrTail = end.stderrTail();
        trial.workerId = end.workerId() != null ? end.workerId() : trial.workerId;
        trial.environment = json(end.environment());
        trial.argv = json(end.argv());
        trial.loadMillis = end.loadMillis();
        trial.coldGeneration = json(end.coldGeneration());
        trial.sampleCount = end.sampleCount();
        trial.requestMillis = end.requestMillis();
        trial.wallMillis = end.wallMillis();
        trial.peakRssBytes = end.peakRssBytes();
        trial.peakGpuMemoryBytes = end.peakGpuMemoryBytes();
        trial.metricsDelta = json(end.metricsDelta());
        trial.perplexity = json(end.perplexity());
        trial.concurrentActivity = json(end.concurrentActivity());
        trial.startedAt = end.startedAt() != null ? end.startedAt() : trial.startedAt;
        trial.finishedAt = end.finishedAt();
        trial.samplesDone = end.sampleCount();
        if (end.artifact() != null) {
            ArtifactEntity.<ArtifactEntity>findById(trial.artifactId).describe(end.artifact());
        }
        return true;
    }

    private static String json(Object value) {
        return value == null ? null : Messages.toJson(value);
    }

    private static void markTrialsRunning(Connection connection, Set<UUID> trials) throws SQLException {
        if (trials.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE trial SET status = 'RUNNING', started_at = coalesce(started_at, now()) "
                        + "WHERE id = ANY(?) AND status IN ('PENDING', 'DISPATCHED')")) {
            update.setArray(1, connection.createArrayOf("uuid", trials.toArray()));
            update.executeUpdate();
        }
    }
}
