package dev.optbench.orchestrator.runs.query;

import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Exports a run as flat rows: one per sample (every measured figure, the answer and its scores) or one per trial
 * (each variant on each artifact: every metric's figure, its change against the baseline in percent and whether
 * that is better, medians' confidence intervals).
 */
@ApplicationScoped
public class RunExport {
    private static final RecordComponent[] SAMPLE_COMPONENTS = SampleRow.class.getRecordComponents();
    private static final List<String> SAMPLE_COLUMNS = Arrays.stream(SAMPLE_COMPONENTS).map(RecordComponent::getName).toList();
    private static final List<String> TRIAL_COLUMNS = trialColumns();

    private final AgroalDataSource dataSource;
    private final RunQueries queries;

    public RunExport(AgroalDataSource dataSource, RunQueries queries) {
        this.dataSource = dataSource;
        this.queries = queries;
    }

    /** Checks the run exists now, so a missing run is a 404 rather than a broken stream. */
    public StreamingOutput samples(UUID runId, FlatRows.Format format) {
        try (Connection connection = dataSource.getConnection()) {
            RunQueries.requireRun(connection, runId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out -> {
            try (Connection connection = dataSource.getConnection(); FlatRows rows = FlatRows.open(format, SAMPLE_COLUMNS, out)) {
                connection.setAutoCommit(false);
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT " + RunQueries.SAMPLE_COLUMNS + "WHERE s.run_id = ?" + RunQueries.SAMPLE_ORDER)) {
                    select.setObject(1, runId);
                    select.setFetchSize(1_000);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rows.row(values(RunQueries.sampleRow(rs)));
                        }
                    }
                } finally {
                    connection.rollback();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("exporting the samples of run " + runId + " failed", e);
            }
        };
    }

    public StreamingOutput trials(UUID runId, FlatRows.Format format) {
        RunDetail run = queries.detail(runId);
        Map<UUID, TrialSummary> summaries = new HashMap<>();
        run.summaries().forEach(s -> summaries.put(s.trialId(), s));
        Map<UUID, RunDetail.VariantView> variants = new HashMap<>();
        run.variants().forEach(v -> variants.put(v.id(), v));
        Map<UUID, RunDetail.ArtifactView> artifacts = new HashMap<>();
        run.artifacts().forEach(a -> artifacts.put(a.id(), a));
        return out -> {
            try (FlatRows rows = FlatRows.open(format, TRIAL_COLUMNS, out)) {
                for (RunDetail.TrialView trial : run.trials()) {
                    rows.row(trialRow(run, trial, variants.get(trial.variantId()), artifacts.get(trial.artifactId()), summaries.get(trial.id())));
                }
            }
        };
    }

    private static List<String> trialColumns() {
        List<String> columns = new ArrayList<>(List.of("runId", "runName", "trialId", "variant", "baseline", "artifact", "status",
                "reason", "workerId", "attempts", "samples", "latencyMillisP50CiLow", "latencyMillisP50CiHigh",
                "latencyMillisP99", "generationTokensPerSecondP50CiLow", "generationTokensPerSecondP50CiHigh",
                "roundLatencySlopeMillis", "degraded"));
        for (Metric metric : Metric.values()) {
            columns.add(metric.key);
            columns.add(metric.key + "ChangePercent");
            columns.add(metric.key + "Better");
        }
        return List.copyOf(columns);
    }

    private static List<Object> trialRow(RunDetail run, RunDetail.TrialView trial, RunDetail.VariantView variant,
                                         RunDetail.ArtifactView artifact, TrialSummary summary) {
        Distribution latency = summary == null ? null : summary.latencyMillis();
        Distribution generation = summary == null ? null : summary.generationTokensPerSecond();
        List<Object> row = new ArrayList<>(Arrays.asList(run.id(), run.name(), trial.id(), variant.name(), variant.baseline(),
                artifact.label(), trial.status(), trial.reason(), trial.workerId(), trial.attempts(),
                summary == null ? null : summary.samples(),
                latency == null ? null : latency.p50CiLow(), latency == null ? null : latency.p50CiHigh(),
                latency == null ? null : latency.p99(),
                generation == null ? null : generation.p50CiLow(), generation == null ? null : generation.p50CiHigh(),
                summary == null ? null : summary.roundLatencySlopeMillis(),
                summary == null || summary.quality() == null ? null : summary.quality().degraded()));
        for (Metric metric : Metric.values()) {
            Change change = summary == null ? null : summary.changeVsBaseline().get(metric.key);
            row.add(summary == null ? null : summary.figure(metric));
            row.add(change == null ? null : change.percent());
            row.add(change == null ? null : change.better());
        }
        return row;
    }

    private static List<Object> values(SampleRow row) {
        List<Object> values = new ArrayList<>(SAMPLE_COMPONENTS.length);
        for (RecordComponent component : SAMPLE_COMPONENTS) {
            try {
                values.add(component.getAccessor().invoke(row));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
        }
        return values;
    }
}
