package dev.optbench.orchestrator.searches;

import dev.optbench.contracts.messages.Device;
import dev.optbench.contracts.search.Roofline;
import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.search.SearchObjective;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.runs.RunEntity;
import dev.optbench.orchestrator.runs.query.RunDetail;
import dev.optbench.orchestrator.runs.query.RunDetail.TrialView;
import dev.optbench.orchestrator.runs.query.RunQueries;
import dev.optbench.orchestrator.searches.SearchState.RoundRun;
import dev.optbench.orchestrator.searches.strategy.Observation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a finished run of a search back as observations: each trial's configuration, its stored summary's figures,
 * its quality and where it stands against the memory-bandwidth bound of its device.
 */
@ApplicationScoped
public class SearchEvaluation {
    private final RunQueries queries;
    private final EntityManager entityManager;

    public SearchEvaluation(RunQueries queries, EntityManager entityManager) {
        this.queries = queries;
        this.entityManager = entityManager;
    }

    /** Whether the run ended and, when it has judge requests, every judged answer has its scores. */
    public record RunProgress(boolean ended, boolean scored) {
    }

    public RunProgress progress(UUID runId) {
        RunEntity run = RunEntity.findById(runId);
        if (run == null || !run.status.isFinal() || run.judgeRequests == null) {
            return new RunProgress(run == null || run.status.isFinal(), true);
        }
        RunDetail.Judging judging = queries.detail(runId).judging();
        return new RunProgress(true, judging == null || judging.scored() >= judging.requested());
    }

    public List<Observation> observe(RoundRun round, SearchObjective objective) {
        RunDetail run = queries.detail(round.runId());
        Map<UUID, String> variantNames = new HashMap<>();
        run.variants().forEach(v -> variantNames.put(v.id(), v.name()));
        Map<UUID, String> artifactLabels = new HashMap<>();
        run.artifacts().forEach(a -> artifactLabels.put(a.id(), a.label()));
        Map<UUID, TrialSummary> summaries = new HashMap<>();
        run.summaries().forEach(s -> summaries.put(s.trialId(), s));
        Map<UUID, long[]> rooflineBytes = rooflineBytes(round.runId());
        Map<UUID, Double> meanContext = meanContext(round.runId());
        List<Observation> observations = new ArrayList<>();
        for (TrialView trial : run.trials()) {
            SearchConfig config = round.trials().get(RoundRun.trialKey(variantNames.get(trial.variantId()), artifactLabels.get(trial.artifactId())));
            if (config == null) {
                continue;
            }
            TrialSummary summary = summaries.get(trial.id());
            Long peakMemory = trial.peakGpuMemoryBytes() != null ? trial.peakGpuMemoryBytes() : trial.peakRssBytes();
            Device device = Roofline.decodingDevice(trial.environment());
            Double objectiveValue = summary == null || !"SUCCEEDED".equals(trial.status().name()) ? null
                    : objective.valueOf(summary.figures(), peakMemory);
            Double speed = summary == null ? null : summary.figure(Metric.GENERATION_TOKENS_PER_SECOND);
            long[] bytes = rooflineBytes.get(trial.artifactId());
            Double bound = bytes == null ? null : Roofline.boundTokensPerSecond(trial.environment(), trial.argv(), bytes[0],
                    bytes[1] < 0 ? null : bytes[1], meanContext.getOrDefault(trial.id(), 0.0));
            var quality = summary == null ? null : summary.quality();
            observations.add(new Observation(round.runId(), trial.id(), round.round(), round.stage(), config, trial.status().name(),
                    objectiveValue, speed, summary == null ? null : summary.figure(Metric.TTFT_P50), peakMemory,
                    device == null ? null : device.memoryBytes(), quality == null ? null : quality.judgeWin(),
                    quality == null ? null : quality.judgeLoss(), quality == null ? null : quality.degraded(), trial.perplexity(),
                    bound, bound == null || speed == null ? null : speed / bound,
                    trial.wallMillis() == null ? null : trial.wallMillis() / 1000.0));
        }
        return observations;
    }

    /** Per artifact of the run: weight bytes read per token and f16 KV bytes per position (-1 when unknown). */
    private Map<UUID, long[]> rooflineBytes(UUID runId) {
        Map<UUID, long[]> bytes = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "SELECT id, decode_weight_bytes, kv_bytes_per_position FROM artifact WHERE run_id = ?1 AND decode_weight_bytes IS NOT NULL")
                .setParameter(1, runId).getResultList();
        for (Object[] row : rows) {
            bytes.put((UUID) row[0], new long[] {((Number) row[1]).longValue(), row[2] == null ? -1 : ((Number) row[2]).longValue()});
        }
        return bytes;
    }

    /** Per trial: the mean number of context positions while generating (the prompt plus half the answer). */
    private Map<UUID, Double> meanContext(UUID runId) {
        Map<UUID, Double> context = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "SELECT trial_id, avg(prompt_tokens + completion_tokens / 2.0) FROM sample WHERE run_id = ?1 AND error IS NULL GROUP BY trial_id")
                .setParameter(1, runId).getResultList();
        for (Object[] row : rows) {
            context.put((UUID) row[0], ((Number) row[1]).doubleValue());
        }
        return context;
    }

    /** The values of the objective's underlying per-request figure for these trials, for the gain's interval. */
    public double[] requestValues(List<UUID> trialIds, SearchObjective objective) {
        if (trialIds.isEmpty()) {
            return new double[0];
        }
        String column = switch (objective) {
            case MAX_GENERATION_TOKENS_PER_SECOND, MAX_TOKENS_PER_SECOND_PER_GB -> "generation_tokens_per_second";
            case MIN_LATENCY_P95 -> "latency_millis";
            case MIN_TTFT -> "ttft_millis";
        };
        @SuppressWarnings("unchecked")
        List<Object> rows = entityManager.createNativeQuery("SELECT " + column + " FROM sample WHERE trial_id = ANY(?1) AND error IS NULL AND "
                + column + " IS NOT NULL").setParameter(1, trialIds.toArray(new UUID[0])).getResultList();
        return rows.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
}
