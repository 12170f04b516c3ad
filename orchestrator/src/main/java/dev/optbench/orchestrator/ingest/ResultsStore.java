package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialResult;
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
import java.util.function.Function;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Stores what workers publish on {@code bench.results}. Samples of a whole batch are upserted with one
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT (id) DO UPDATE} per few thousand rows, so a redelivered
 * chunk rewrites the same rows and a retried trial's samples replace its earlier attempt's. Chunks of a trial that
 * is already final are ignored (a redelivery, or a run that was cancelled). A {@link TrialFinished} moves the
 * trial forward only, stores its measurements, its artifact's facts and its summary, and completes the run when it
 * was the last open trial.
 */
@ApplicationScoped
public class ResultsStore implements BatchStore<TrialResult> {
    private static final Logger LOG = Logger.getLogger(ResultsStore.class);
    private static final int ROWS_PER_STATEMENT = 5_000;
    private static final String UPSERT = "INSERT INTO sample (id, trial_id, run_id, conversation_id, round, repetition, concurrency, "
            + "started_at, prompt_tokens, completion_tokens, cached_tokens, ttft_millis, latency_millis, inter_token_millis_mean, "
            + "inter_token_millis_p95, generation_tokens_per_second, server_prompt_millis, server_prompt_tokens_per_second, "
            + "server_generation_millis, server_generation_tokens_per_second, draft_tokens, draft_accepted_tokens, finish_reason, "
            + "prompt, answer, error) "
            + "SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::int[], ?::int[], ?::int[], ?::timestamptz[], "
            + "?::int[], ?::int[], ?::int[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], "
            + "?::float8[], ?::float8[], ?::float8[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[]) "
            + "ON CONFLICT (id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, round = EXCLUDED.round, "
            + "repetition = EXCLUDED.repetition, concurrency = EXCLUDED.concurrency, started_at = EXCLUDED.started_at, "
            + "prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens, "
            + "cached_tokens = EXCLUDED.cached_tokens, ttft_millis = EXCLUDED.ttft_millis, latency_millis = EXCLUDED.latency_millis, "
            + "inter_token_millis_mean = EXCLUDED.inter_token_millis_mean, inter_token_millis_p95 = EXCLUDED.inter_token_millis_p95, "
            + "generation_tokens_per_second = EXCLUDED.generation_tokens_per_second, server_prompt_millis = EXCLUDED.server_prompt_millis, "
            + "server_prompt_tokens_per_second = EXCLUDED.server_prompt_tokens_per_second, "
            + "server_generation_millis = EXCLUDED.server_generation_millis, "
            + "server_generation_tokens_per_second = EXCLUDED.server_generation_tokens_per_second, "
            + "draft_tokens = EXCLUDED.draft_tokens, draft_accepted_tokens = EXCLUDED.draft_accepted_tokens, "
            + "finish_reason = EXCLUDED.finish_reason, prompt = EXCLUDED.prompt, answer = EXCLUDED.answer, error = EXCLUDED.error";

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

    private record StoredSample(UUID trialId, UUID runId, Sample sample) {
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Rejection> store(List<Parsed<TrialResult>> batch) {
        List<Rejection> rejected = new ArrayList<>();
        Map<UUID, StoredSample> samples = new LinkedHashMap<>();
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
                            chunk.samples().forEach(s -> samples.put(s.sampleId(), new StoredSample(chunk.trialId(), trial.runId(), s)));
                            startedTrials.add(chunk.trialId());
                            startedRuns.add(trial.runId());
                        }
                    }
                    case TrialFinished end -> finished.add(end);
                }
            }
            upsertSamples(connection, new ArrayList<>(samples.values()));
            markTrialsRunning(connection, startedTrials);
        });
        startedRuns.forEach(runs::markRunning);
        finished.forEach(this::finish);
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

    private void finish(TrialFinished end) {
        RunEntity.lockedById(end.runId()).orElseThrow(() -> new RunNotFoundException(end.runId()));
        TrialEntity trial = TrialEntity.findById(end.trialId());
        if (!trial.status.canMoveTo(end.status())) {
            LOG.debugf("trial %s stays %s: its %s result is a redelivery or came after the run was cancelled", trial.id, trial.status, end.status());
            return;
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
        summaries.summarise(trial.runId, List.of(trial.id));
        runs.completeIfDone(trial.runId);
    }

    private static String json(Object value) {
        return value == null ? null : Messages.toJson(value);
    }

    private static void upsertSamples(Connection connection, List<StoredSample> samples) throws SQLException {
        if (samples.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (int from = 0; from < samples.size(); from += ROWS_PER_STATEMENT) {
                List<StoredSample> part = samples.subList(from, Math.min(samples.size(), from + ROWS_PER_STATEMENT));
                int column = 1;
                upsert.setArray(column++, array(connection, "uuid", part, s -> s.sample().sampleId()));
                upsert.setArray(column++, array(connection, "uuid", part, StoredSample::trialId));
                upsert.setArray(column++, array(connection, "uuid", part, StoredSample::runId));
                upsert.setArray(column++, array(connection, "text", part, s -> s.sample().conversationId()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().round()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().repetition()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().concurrency()));
                upsert.setArray(column++, array(connection, "timestamptz", part,
                        s -> s.sample().startedAt() == null ? null : s.sample().startedAt().toString()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().promptTokens()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().completionTokens()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().cachedTokens()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().ttftMillis()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().latencyMillis()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().interTokenMillisMean()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().interTokenMillisP95()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().generationTokensPerSecond()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().serverPromptMillis()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().serverPromptTokensPerSecond()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().serverGenerationMillis()));
                upsert.setArray(column++, array(connection, "float8", part, s -> s.sample().serverGenerationTokensPerSecond()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().draftTokens()));
                upsert.setArray(column++, array(connection, "int4", part, s -> s.sample().draftAcceptedTokens()));
                upsert.setArray(column++, array(connection, "text", part, s -> s.sample().finishReason()));
                upsert.setArray(column++, array(connection, "text", part, s -> s.sample().prompt()));
                upsert.setArray(column++, array(connection, "text", part, s -> s.sample().answer()));
                upsert.setArray(column, array(connection, "text", part, s -> s.sample().error()));
                upsert.executeUpdate();
            }
        }
    }

    private static java.sql.Array array(Connection connection, String type, List<StoredSample> rows, Function<StoredSample, Object> column)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return connection.createArrayOf(type, values);
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
