package dev.optbench.orchestrator.runs.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.problems.RunNotFoundException;
import dev.optbench.orchestrator.runs.RunStatus;
import dev.optbench.orchestrator.runs.query.RunDetail.ArtifactView;
import dev.optbench.orchestrator.runs.query.RunDetail.TrialView;
import dev.optbench.orchestrator.runs.query.RunDetail.VariantView;
import dev.optbench.orchestrator.runs.query.RunDetail.WorkloadOverview;
import dev.optbench.orchestrator.storage.StoredJson;
import dev.optbench.orchestrator.summaries.TrialSummaries;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads stored runs for the API: the filtered list, one run with its trials and summaries, pages of samples and
 * the comparison of several runs. Plain SQL over the tables the orchestrator writes; nothing is recomputed here.
 */
@ApplicationScoped
public class RunQueries {
    private static final TypeReference<List<Flag>> FLAGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Double>> NUMBERS = new TypeReference<>() { };
    static final String SAMPLE_COLUMNS = "s.run_id, s.trial_id, v.name, v.baseline, a.label, t.status, s.id, s.conversation_id, "
            + "s.round, s.repetition, s.concurrency, s.started_at, s.prompt_tokens, s.completion_tokens, s.cached_tokens, "
            + "s.ttft_millis, s.latency_millis, s.inter_token_millis_mean, s.inter_token_millis_p95, "
            + "s.generation_tokens_per_second, s.server_prompt_millis, s.server_prompt_tokens_per_second, "
            + "s.server_generation_millis, s.server_generation_tokens_per_second, s.draft_tokens, s.draft_accepted_tokens, "
            + "s.finish_reason, s.error, "
            + "(SELECT verdict FROM score c WHERE c.sample_id = s.id AND c.kind = 'PAIRWISE'), "
            + "(SELECT grade FROM score c WHERE c.sample_id = s.id AND c.kind = 'RUBRIC'), "
            + "(SELECT verdict FROM score c WHERE c.sample_id = s.id AND c.kind = 'REFERENCE'), "
            + "s.prompt, s.answer "
            + "FROM sample s JOIN trial t ON t.id = s.trial_id JOIN variant v ON v.id = t.variant_id JOIN artifact a ON a.id = t.artifact_id ";
    static final String SAMPLE_ORDER = " ORDER BY v.position, a.position, s.concurrency, s.repetition, s.conversation_id, s.round";

    private final AgroalDataSource dataSource;

    public RunQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Page<RunListItem> list(RunFilter filter, int page, int size) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = prepare(connection, "SELECT count(*) FROM run r" + where, parameters);
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Object> pageParameters = new ArrayList<>(parameters);
            pageParameters.add(size);
            pageParameters.add((long) page * size);
            List<RunListItem> items = new ArrayList<>();
            try (PreparedStatement select = prepare(connection,
                    "SELECT r.id, r.name, r.pool, r.status, r.created_at, r.updated_at, r.finished_at, "
                            + "(SELECT array_agg(DISTINCT a.model_ref ORDER BY a.model_ref) FROM artifact a WHERE a.run_id = r.id), "
                            + "(SELECT count(*) FROM variant v WHERE v.run_id = r.id), "
                            + "(SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*) AS n FROM trial t WHERE t.run_id = r.id GROUP BY status) c) "
                            + "FROM run r" + where + " ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?", pageParameters);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Map<String, Integer> byStatus = trialsByStatus(rs.getString(10));
                    java.sql.Array models = rs.getArray(8);
                    items.add(new RunListItem(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            RunStatus.valueOf(rs.getString(4)), instant(rs, 5), instant(rs, 6), instant(rs, 7),
                            models == null ? List.of() : Arrays.asList((String[]) models.getArray()), rs.getInt(9),
                            byStatus.values().stream().mapToInt(Integer::intValue).sum(), byStatus));
                }
            }
            return new Page<>(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException("listing runs failed", e);
        }
    }

    private static String where(RunFilter filter, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        if (filter.name() != null) {
            conditions.add("r.name ILIKE ? ESCAPE '\\'");
            parameters.add("%" + likeEscaped(filter.name()) + "%");
        }
        if (filter.model() != null) {
            conditions.add("EXISTS (SELECT 1 FROM artifact a WHERE a.run_id = r.id AND a.model_ref ILIKE ? ESCAPE '\\')");
            parameters.add("%" + likeEscaped(filter.model()) + "%");
        }
        if (filter.pool() != null) {
            conditions.add("r.pool = ?");
            parameters.add(filter.pool());
        }
        if (filter.status() != null) {
            conditions.add("r.status = ?");
            parameters.add(filter.status().name());
        }
        if (filter.flag() != null) {
            conditions.add("EXISTS (SELECT 1 FROM variant v WHERE v.run_id = r.id AND v.flags @> ?::jsonb)");
            parameters.add(dev.optbench.contracts.messages.Messages.toJson(List.of(new Flag(filter.flag(), filter.flagValue()))));
        }
        if (filter.from() != null) {
            conditions.add("r.created_at >= ?");
            parameters.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            conditions.add("r.created_at < ?");
            parameters.add(Timestamp.from(filter.to()));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public RunDetail detail(UUID runId) {
        try (Connection connection = dataSource.getConnection()) {
            return detail(connection, runId);
        } catch (SQLException e) {
            throw new IllegalStateException("reading run " + runId + " failed", e);
        }
    }

    private RunDetail detail(Connection connection, UUID runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, pool, status, created_at, updated_at, finished_at, spec, workload, judge_requests FROM run WHERE id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new RunNotFoundException(runId);
                }
                List<TrialView> trials = trials(connection, runId);
                Map<String, Integer> byStatus = new LinkedHashMap<>();
                trials.forEach(t -> byStatus.merge(t.status().name(), 1, Integer::sum));
                return new RunDetail(runId, rs.getString(1), rs.getString(2), RunStatus.valueOf(rs.getString(3)),
                        instant(rs, 4), instant(rs, 5), instant(rs, 6), StoredJson.read(rs.getString(7), JsonNode.class),
                        overview(StoredJson.read(rs.getString(8), Workload.class)), byStatus,
                        variants(connection, runId), artifacts(connection, runId), trials, TrialSummaries.ofRun(connection, runId),
                        judging(connection, runId, (Integer) rs.getObject(9)));
            }
        }
    }

    private static RunDetail.Judging judging(Connection connection, UUID runId, Integer requested) throws SQLException {
        if (requested == null) {
            return null;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT count(DISTINCT sample_id) FROM score WHERE run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new RunDetail.Judging(requested, rs.getInt(1));
            }
        }
    }

    private static WorkloadOverview overview(Workload workload) {
        int turns = workload.conversations().stream().mapToInt(c -> c.turns().size()).sum();
        return new WorkloadOverview(workload.conversations().size(), turns, workload.repetitions(), workload.maxTokens(),
                workload.temperature(), workload.seed(), workload.concurrency(), workload.sampleCount());
    }

    private static List<VariantView> variants(Connection connection, UUID runId) throws SQLException {
        List<VariantView> variants = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, position, name, baseline, flags, sweep_values FROM variant WHERE run_id = ? ORDER BY position")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    variants.add(new VariantView(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getBoolean(4),
                            StoredJson.read(rs.getString(5), FLAGS), StoredJson.read(rs.getString(6), OBJECT)));
                }
            }
        }
        return variants;
    }

    private static List<ArtifactView> artifacts(Connection connection, UUID runId) throws SQLException {
        List<ArtifactView> artifacts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, position, model_index, label, model_ref, quantization, prune_layers, prune_from, file_name, sha256, "
                        + "size_bytes, architecture, file_type, block_count, parameter_count, build_millis "
                        + "FROM artifact WHERE run_id = ? ORDER BY position")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    artifacts.add(new ArtifactView(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            (Long) rs.getObject(11), rs.getString(12), rs.getString(13), (Integer) rs.getObject(14),
                            (Long) rs.getObject(15), (Long) rs.getObject(16)));
                }
            }
        }
        return artifacts;
    }

    private static List<TrialView> trials(Connection connection, UUID runId) throws SQLException {
        List<TrialView> trials = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT t.id, t.variant_id, t.artifact_id, t.status, t.attempts, t.worker_id, t.phase, t.samples_done, "
                        + "t.samples_total, t.reason, t.stderr_tail, t.argv, t.environment, t.load_millis, t.request_millis, "
                        + "t.wall_millis, t.peak_rss_bytes, t.peak_gpu_memory_bytes, t.perplexity, t.metrics_delta, "
                        + "t.concurrent_activity, t.created_at, t.started_at, t.finished_at "
                        + "FROM trial t JOIN variant v ON v.id = t.variant_id JOIN artifact a ON a.id = t.artifact_id "
                        + "WHERE t.run_id = ? ORDER BY v.position, a.position")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    trials.add(new TrialView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            TrialStatus.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6), rs.getString(7),
                            (Integer) rs.getObject(8), (Integer) rs.getObject(9), rs.getString(10), rs.getString(11),
                            StoredJson.read(rs.getString(12), STRINGS), StoredJson.read(rs.getString(13), Environment.class),
                            (Long) rs.getObject(14), (Long) rs.getObject(15), (Long) rs.getObject(16), (Long) rs.getObject(17),
                            (Long) rs.getObject(18), StoredJson.read(rs.getString(19), PerplexityFigures.class),
                            StoredJson.read(rs.getString(20), NUMBERS), StoredJson.read(rs.getString(21), STRINGS),
                            instant(rs, 22), instant(rs, 23), instant(rs, 24)));
                }
            }
        }
        return trials;
    }

    /** A page of a run's samples, optionally of one trial, in trial order then request order. */
    public Page<SampleRow> samples(UUID runId, UUID trialId, int page, int size) {
        try (Connection connection = dataSource.getConnection()) {
            requireRun(connection, runId);
            String where = "WHERE s.run_id = ?" + (trialId == null ? "" : " AND s.trial_id = ?");
            List<Object> parameters = new ArrayList<>(List.of(runId));
            if (trialId != null) {
                parameters.add(trialId);
            }
            long total;
            try (PreparedStatement count = prepare(connection, "SELECT count(*) FROM sample s " + where, parameters);
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            parameters.add(size);
            parameters.add((long) page * size);
            List<SampleRow> rows = new ArrayList<>();
            try (PreparedStatement select = prepare(connection, "SELECT " + SAMPLE_COLUMNS + where + SAMPLE_ORDER + " LIMIT ? OFFSET ?", parameters);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(sampleRow(rs));
                }
            }
            return new Page<>(rows, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException("reading samples of run " + runId + " failed", e);
        }
    }

    static SampleRow sampleRow(ResultSet rs) throws SQLException {
        return new SampleRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getBoolean(4),
                rs.getString(5), rs.getString(6), rs.getObject(7, UUID.class), rs.getString(8), rs.getInt(9), rs.getInt(10),
                rs.getInt(11), instant(rs, 12), rs.getInt(13), rs.getInt(14), rs.getInt(15), rs.getDouble(16), rs.getDouble(17),
                (Double) rs.getObject(18), (Double) rs.getObject(19), (Double) rs.getObject(20), (Double) rs.getObject(21),
                (Double) rs.getObject(22), (Double) rs.getObject(23), (Double) rs.getObject(24), (Integer) rs.getObject(25),
                (Integer) rs.getObject(26), rs.getString(27), rs.getString(28), rs.getString(29), (Double) rs.getObject(30),
                rs.getString(31), rs.getString(32), rs.getString(33));
    }

    /** The runs side by side, the first being the one the others are compared with. */
    public Comparison compare(List<UUID> runIds) {
        try (Connection connection = dataSource.getConnection()) {
            List<Comparison.ComparedRun> runs = new ArrayList<>();
            for (UUID runId : runIds) {
                RunDetail run = detail(connection, runId);
                runs.add(new Comparison.ComparedRun(run.id(), run.name(), run.pool(), run.status(), run.createdAt(), run.summaries()));
            }
            Map<String, Comparison.Row> rows = new LinkedHashMap<>();
            Map<String, Map<String, Double>> firstRun = new LinkedHashMap<>();
            runs.get(0).summaries().forEach(s -> firstRun.put(s.label(), s.figures()));
            for (Comparison.ComparedRun run : runs) {
                for (TrialSummary summary : run.summaries()) {
                    Comparison.Row row = rows.computeIfAbsent(summary.label(),
                            label -> new Comparison.Row(label, new LinkedHashMap<>(), new LinkedHashMap<>()));
                    row.figures().put(run.id(), summary.figures());
                    Map<String, Double> first = firstRun.get(summary.label());
                    if (run != runs.get(0) && first != null) {
                        row.changeVsFirstRun().put(run.id(), changes(first, summary.figures()));
                    }
                }
            }
            return new Comparison(runs, new ArrayList<>(rows.values()));
        } catch (SQLException e) {
            throw new IllegalStateException("comparing runs failed", e);
        }
    }

    private static Map<String, Change> changes(Map<String, Double> first, Map<String, Double> figures) {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            Change change = Change.of(metric, first.get(metric.key), figures.get(metric.key));
            if (change != null) {
                changes.put(metric.key, change);
            }
        }
        return changes;
    }

    static void requireRun(Connection connection, UUID runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM run WHERE id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new RunNotFoundException(runId);
                }
            }
        }
    }

    private static Map<String, Integer> trialsByStatus(String json) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Integer> stored = json == null ? Map.of() : StoredJson.read(json, new TypeReference<Map<String, Integer>>() { });
        for (TrialStatus status : TrialStatus.values()) {
            if (stored.containsKey(status.name())) {
                counts.put(status.name(), stored.get(status.name()));
            }
        }
        return counts;
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
