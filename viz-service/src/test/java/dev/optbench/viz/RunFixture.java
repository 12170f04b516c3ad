package dev.optbench.viz;

import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.spec.ModelRef;
import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.stats.Interval;
import dev.optbench.contracts.stats.Rate;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.QualitySummary;
import dev.optbench.contracts.summary.RoundFigure;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.viz.runs.TrialView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored run made for a test: its trials as the viz service reads them, and the rows that store them. The
 * figures are the test's own, written through the contracts' records exactly as the orchestrator stores them.
 */
public final class RunFixture {
    public final UUID runId = UUID.randomUUID();
    public final UUID artifactId = UUID.randomUUID();
    public final String name;
    public final String pool;
    public final Instant createdAt;
    public final String modelRef;
    public final List<TrialView> trials = new ArrayList<>();
    private final Map<UUID, List<Flag>> flags = new LinkedHashMap<>();
    public String status = "RUNNING";
    public Instant finishedAt;
    private String llamaCommit = "de3ff81";
    private Map<String, Double> baselineFigures;

    public RunFixture(String name, String pool, Instant createdAt, String modelRef) {
        this.name = name;
        this.pool = pool;
        this.createdAt = createdAt;
        this.modelRef = modelRef;
    }

    /**
     * The run most tests draw: a baseline, two variants, a three-point sweep of --ctx-size, a failed and a
     * running trial, on the generated model. Throughput is scaled by {@code speed} so that runs differ.
     */
    public static RunFixture standard(String name, String pool, Instant createdAt, String llamaCommit, double speed) {
        RunFixture run = new RunFixture(name, pool, createdAt, ModelRef.SYNTHETIC_TINY).build(llamaCommit);
        run.succeeded("baseline", true, List.of(), Map.of(),
                Figures.of(400, 20 * speed).memory(900).quality(6.0, null, null).slope(40));
        run.succeeded("flash-attn", false, List.of(new Flag("--flash-attn", "on")), Map.of(),
                Figures.of(300, 26 * speed).memory(880).quality(6.2, 55.0, 0.01).slope(10));
        run.succeeded("kv-q8", false, List.of(new Flag("--cache-type-k", "q8_0")), Map.of(),
                Figures.of(380, 21 * speed).memory(700).quality(5.5, 40.0, 0.05).slope(30));
        double[][] sweep = {{512, 310, 22, 50}, {1024, 320, 25, 45}, {2048, 340, 23, 60}};
        for (double[] point : sweep) {
            int context = (int) point[0];
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("--ctx-size", context);
            values.put("--batch-size", 256);
            run.succeeded("ctx-" + context, false, List.of(new Flag("--ctx-size", String.valueOf(context)),
                            new Flag("--batch-size", "256")), values,
                    Figures.of(point[1], point[2] * speed).memory(800 + context / 8.0).quality(5.8, point[3], 0.02).slope(25));
        }
        run.failed("bad-threads", List.of(new Flag("--threads", "999")), "llama-server exited with status 1 before /health",
                "error: invalid value for --threads: 999\nmain: exiting");
        run.running("spec-decode", List.of(new Flag("--draft-max", "8")), 7, 20);
        return run;
    }

    /** The llama.cpp build the next trials report. */
    public RunFixture build(String commit) {
        this.llamaCommit = commit;
        return this;
    }

    /** Figures of one summarised trial; null leaves a figure out. */
    public record Figures(double latencyP50, double tokensPerSecond, Double peakRssMb, Double rubricGrade,
                          Double judgeWinRate, Double klDivergence, double roundSlopeMillis) {
        public static Figures of(double latencyP50, double tokensPerSecond) {
            return new Figures(latencyP50, tokensPerSecond, null, null, null, null, 0);
        }

        public Figures memory(double peakRssMb) {
            return new Figures(latencyP50, tokensPerSecond, peakRssMb, rubricGrade, judgeWinRate, klDivergence, roundSlopeMillis);
        }

        public Figures quality(Double rubric, Double winRate, Double kld) {
            return new Figures(latencyP50, tokensPerSecond, peakRssMb, rubric, winRate, kld, roundSlopeMillis);
        }

        public Figures slope(double millisPerRound) {
            return new Figures(latencyP50, tokensPerSecond, peakRssMb, rubricGrade, judgeWinRate, klDivergence, millisPerRound);
        }
    }

    /** A finished trial with its summary; the first baseline added is the reference of the others. */
    public TrialView succeeded(String variant, boolean baseline, List<Flag> variantFlags, Map<String, Object> sweep,
                               Figures figures) {
        UUID trialId = UUID.randomUUID();
        UUID variantId = UUID.randomUUID();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(Metric.LATENCY_P50.key, figures.latencyP50());
        values.put(Metric.LATENCY_P95.key, figures.latencyP50() * 1.4);
        values.put(Metric.TTFT_P50.key, figures.latencyP50() / 5);
        values.put(Metric.GENERATION_TOKENS_PER_SECOND.key, figures.tokensPerSecond());
        values.put(Metric.LOAD_MILLIS.key, 850.0);
        putIfPresent(values, Metric.PEAK_RSS_MB, figures.peakRssMb());
        putIfPresent(values, Metric.RUBRIC_GRADE, figures.rubricGrade());
        putIfPresent(values, Metric.JUDGE_WIN_RATE, figures.judgeWinRate());
        putIfPresent(values, Metric.KL_DIVERGENCE, figures.klDivergence());
        if (baseline && baselineFigures == null) {
            baselineFigures = values;
        }
        Map<String, Change> changes = new LinkedHashMap<>();
        if (baselineFigures != null && baselineFigures != values) {
            for (Metric metric : Metric.values()) {
                Change change = Change.of(metric, baselineFigures.get(metric.key), values.get(metric.key));
                if (change != null) {
                    changes.put(metric.key, change);
                }
            }
        }
        List<RoundFigure> rounds = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            double latency = figures.latencyP50() + round * figures.roundSlopeMillis();
            rounds.add(new RoundFigure(round, 5, latency, latency / 5 + round, 40 + round * 60));
        }
        Distribution latency = distribution(figures.latencyP50());
        QualitySummary quality = new QualitySummary(rate(figures.judgeWinRate()), null, null, null, 0,
                figures.rubricGrade() == null ? null : new Interval(figures.rubricGrade(), figures.rubricGrade() - 0.5,
                        figures.rubricGrade() + 0.5), null, null, figures.klDivergence(), null, false);
        TrialSummary summary = new TrialSummary(trialId, variantId, variant, baseline, artifactId, "f16", variant,
                "SUCCEEDED", null, baselineFigures == values ? null : trials.getFirst().trialId(), 20, latency,
                distribution(figures.latencyP50() / 5), distribution(12), distribution(figures.tokensPerSecond()),
                distribution(figures.tokensPerSecond()), distribution(figures.tokensPerSecond() * 8), 850L, null,
                figures.peakRssMb() == null ? null : (long) (figures.peakRssMb() * 1_000_000), null, 42_000_000L,
                quality, rounds, figures.roundSlopeMillis(), values, changes);
        return add(trialId, variantId, variant, baseline, variantFlags, sweep, "SUCCEEDED", null, null, null, 20, 20,
                summary);
    }

    /** A finished trial with a summary the caller computed; ids come from the summary. */
    public TrialView summarised(List<Flag> variantFlags, int samples, TrialSummary summary) {
        return add(summary.trialId(), summary.variantId(), summary.variantName(), summary.baseline(), variantFlags,
                Map.of(), "SUCCEEDED", null, null, null, samples, samples, summary);
    }

    public TrialView failed(String variant, List<Flag> variantFlags, String reason, String stderrTail) {
        return add(UUID.randomUUID(), UUID.randomUUID(), variant, false, variantFlags, Map.of(), "FAILED", null, reason,
                stderrTail, 0, 20, null);
    }

    public TrialView running(String variant, List<Flag> variantFlags, int samplesDone, int samplesTotal) {
        return add(UUID.randomUUID(), UUID.randomUUID(), variant, false, variantFlags, Map.of(), "RUNNING", "WORKLOAD",
                null, null, samplesDone, samplesTotal, null);
    }

    private TrialView add(UUID trialId, UUID variantId, String variant, boolean baseline, List<Flag> variantFlags,
                          Map<String, Object> sweep, String trialStatus, String phase, String reason, String stderrTail,
                          Integer samplesDone, Integer samplesTotal, TrialSummary summary) {
        List<String> argv = new ArrayList<>(List.of("llama-server", "--model", "tiny-llama-f16.gguf"));
        variantFlags.forEach(flag -> {
            argv.add(flag.name());
            if (flag.value() != null) {
                argv.add(flag.value());
            }
        });
        boolean started = !"PENDING".equals(trialStatus);
        Instant start = createdAt.plusSeconds(10L * trials.size());
        TrialView trial = new TrialView(trialId, runId, name, pool, createdAt, variantId, trials.size(), variant, baseline,
                sweep, artifactId, 0, modelRef, null, 0, trialStatus, phase, samplesDone, samplesTotal, 1, "worker-test",
                reason, stderrTail, new Environment("test-host", "0.5.0-dev", llamaCommit, "cpu", "Test CPU", 2, List.of(), 2),
                argv, summary == null ? null : 850L, summary == null ? null : 120_000_000L, null,
                started ? start : null, summary != null || reason != null ? start.plusSeconds(8) : null, summary,
                summary == null ? null : start.plusSeconds(9));
        trials.add(trial);
        flags.put(variantId, variantFlags);
        return trial;
    }

    public RunFixture finished(String runStatus) {
        this.status = runStatus;
        this.finishedAt = createdAt.plusSeconds(600);
        return this;
    }

    public void insert(Connection connection) throws SQLException {
        // Later migrations add required columns (the orchestrator's V2: run.workload, artifact.model_index and label).
        boolean workload = hasColumn(connection, "run", "workload");
        boolean artifactLabel = hasColumn(connection, "artifact", "label");
        try (PreparedStatement run = connection.prepareStatement(
                "INSERT INTO run (id, name, pool, status, spec, created_at, updated_at, finished_at"
                        + (workload ? ", workload" : "") + ") VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?"
                        + (workload ? ", '{}'::jsonb" : "") + ")")) {
            run.setObject(1, runId);
            run.setString(2, name);
            run.setString(3, pool);
            run.setString(4, status);
            run.setString(5, "{\"name\":\"" + name + "\"}");
            run.setTimestamp(6, Timestamp.from(createdAt));
            run.setTimestamp(7, Timestamp.from(finishedAt == null ? createdAt.plusSeconds(30) : finishedAt));
            run.setTimestamp(8, finishedAt == null ? null : Timestamp.from(finishedAt));
            run.executeUpdate();
        }
        try (PreparedStatement artifact = connection.prepareStatement(
                "INSERT INTO artifact (id, run_id, position, model_ref, file_name, size_bytes"
                        + (artifactLabel ? ", model_index, label" : "") + ") VALUES (?, ?, 0, ?, ?, ?"
                        + (artifactLabel ? ", 0, 'f16'" : "") + ")")) {
            artifact.setObject(1, artifactId);
            artifact.setObject(2, runId);
            artifact.setString(3, modelRef);
            artifact.setString(4, "tiny-llama-f16.gguf");
            artifact.setLong(5, 42_000_000L);
            artifact.executeUpdate();
        }
        for (TrialView trial : trials) {
            try (PreparedStatement variant = connection.prepareStatement(
                    "INSERT INTO variant (id, run_id, position, name, baseline, flags, sweep_values) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)")) {
                variant.setObject(1, trial.variantId());
                variant.setObject(2, runId);
                variant.setInt(3, trial.variantPosition());
                variant.setString(4, trial.variantName());
                variant.setBoolean(5, trial.baseline());
                variant.setString(6, Messages.toJson(flags.get(trial.variantId())));
                variant.setString(7, trial.sweepValues().isEmpty() ? null : Messages.toJson(trial.sweepValues()));
                variant.executeUpdate();
            }
            try (PreparedStatement row = connection.prepareStatement("""
                    INSERT INTO trial (id, run_id, variant_id, artifact_id, status, attempts, worker_id, phase, samples_done,
                        samples_total, reason, stderr_tail, environment, argv, load_millis, peak_rss_bytes, created_at,
                        started_at, finished_at)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)""")) {
                row.setObject(1, trial.trialId());
                row.setObject(2, runId);
                row.setObject(3, trial.variantId());
                row.setObject(4, artifactId);
                row.setString(5, trial.status());
                row.setString(6, trial.workerId());
                row.setString(7, trial.phase());
                row.setObject(8, trial.samplesDone());
                row.setObject(9, trial.samplesTotal());
                row.setString(10, trial.reason());
                row.setString(11, trial.stderrTail());
                row.setString(12, Messages.toJson(trial.environment()));
                row.setString(13, Messages.toJson(trial.argv()));
                row.setObject(14, trial.loadMillis());
                row.setObject(15, trial.peakRssBytes());
                row.setTimestamp(16, Timestamp.from(createdAt));
                row.setTimestamp(17, trial.startedAt() == null ? null : Timestamp.from(trial.startedAt()));
                row.setTimestamp(18, trial.finishedAt() == null ? null : Timestamp.from(trial.finishedAt()));
                row.executeUpdate();
            }
            if (trial.summary() != null) {
                try (PreparedStatement summary = connection.prepareStatement(
                        "INSERT INTO trial_summary (trial_id, run_id, summary, updated_at) VALUES (?, ?, ?::jsonb, ?)")) {
                    summary.setObject(1, trial.trialId());
                    summary.setObject(2, runId);
                    summary.setString(3, Messages.toJson(trial.summary()));
                    summary.setTimestamp(4, Timestamp.from(trial.summaryUpdatedAt()));
                    summary.executeUpdate();
                }
            }
        }
    }

    public void delete(Connection connection) throws SQLException {
        try (PreparedStatement run = connection.prepareStatement("DELETE FROM run WHERE id = ?")) {
            run.setObject(1, runId);
            run.executeUpdate();
        }
    }

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (var columns = connection.getMetaData().getColumns(null, null, table, column)) {
            return columns.next();
        }
    }

    private static void putIfPresent(Map<String, Double> values, Metric metric, Double value) {
        if (value != null) {
            values.put(metric.key, value);
        }
    }

    private static Distribution distribution(double median) {
        return new Distribution(20, median, median * 0.8, median, median * 1.4, median * 1.6, median * 1.7,
                median * 0.95, median * 1.05);
    }

    private static Rate rate(Double percent) {
        return percent == null ? null : new Rate((int) Math.round(percent / 5), 20, percent / 100, 0, 1);
    }
}
