package dev.optbench.viz.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Reads the stored runs with plain SQL. Read-only: the orchestrator owns every write, and the datasource
 * connects read-only.
 */
@ApplicationScoped
public class RunRepository {
    private static final Logger LOG = Logger.getLogger(RunRepository.class);
    private static final ObjectMapper JSON = Messages.mapper();
    private static final TypeReference<Map<String, Object>> SWEEP_VALUES = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> ARGV = new TypeReference<>() {
    };
    private static final String[] FINAL_STATUSES = Arrays.stream(TrialStatus.values())
            .filter(TrialStatus::isFinal).map(Enum::name).toArray(String[]::new);

    /** Run list filter: only runs in progress, only finished ones, or one stored status. */
    public static final String ACTIVE = "active";
    public static final String FINISHED = "finished";

    private static final String OVERVIEW = """
            SELECT r.id, r.name, r.pool, r.status, r.created_at, r.updated_at, r.finished_at,
                   ARRAY(SELECT DISTINCT a.model_ref FROM artifact a WHERE a.run_id = r.id ORDER BY a.model_ref) AS models,
                   count(t.id) AS trials,
                   count(t.id) FILTER (WHERE t.status = ANY (?)) AS finished,
                   count(t.id) FILTER (WHERE t.status = ?) AS failed,
                   count(t.id) FILTER (WHERE t.status = ?) AS running,
                   coalesce(sum(t.samples_done), 0) AS samples_done,
                   coalesce(sum(t.samples_total), 0) AS samples_total
            FROM run r LEFT JOIN trial t ON t.run_id = r.id
            """;

    private static final String TRIALS = """
            SELECT t.id, t.run_id, r.name AS run_name, r.pool, r.created_at AS run_created_at,
                   v.id AS variant_id, v.position AS variant_position, v.name AS variant_name, v.baseline, v.sweep_values,
                   a.id AS artifact_id, a.position AS artifact_position, a.model_ref, a.quantization, a.prune_layers,
                   t.status, t.phase, t.samples_done, t.samples_total, t.attempts, t.worker_id, t.reason, t.stderr_tail,
                   t.environment, t.argv, t.load_millis, t.peak_rss_bytes, t.peak_gpu_memory_bytes,
                   t.started_at, t.finished_at, s.summary, s.updated_at AS summary_updated_at
            FROM trial t
            JOIN run r ON r.id = t.run_id
            JOIN variant v ON v.id = t.variant_id
            JOIN artifact a ON a.id = t.artifact_id
            LEFT JOIN trial_summary s ON s.trial_id = t.id
            WHERE t.run_id = ANY (?)
            ORDER BY array_position(?, t.run_id), v.position, a.position
            """;

    // The same model artifact (model, quantization, pruning) with the same flags on the same pool, in any run.
    private static final String HISTORY = """
            SELECT t0.id AS series_trial, r.id AS run_id, r.name, r.created_at,
                   (s.summary -> 'figures' ->> ?)::float8 AS value,
                   t.environment ->> 'llamaVersion' AS llama_version, t.environment ->> 'llamaCommit' AS llama_commit
            FROM trial t0
            JOIN run r0 ON r0.id = t0.run_id
            JOIN variant v0 ON v0.id = t0.variant_id
            JOIN artifact a0 ON a0.id = t0.artifact_id
            JOIN artifact a ON a.model_ref = a0.model_ref AND a.quantization IS NOT DISTINCT FROM a0.quantization
                           AND a.prune_layers = a0.prune_layers
            JOIN run r ON r.id = a.run_id AND r.pool = r0.pool
            JOIN variant v ON v.run_id = r.id AND v.flags = v0.flags
            JOIN trial t ON t.variant_id = v.id AND t.artifact_id = a.id
            JOIN trial_summary s ON s.trial_id = t.id
            WHERE t0.id = ANY (?) AND s.summary -> 'figures' ->> ? IS NOT NULL
            ORDER BY t0.id, r.created_at
            """;

    private final DataSource dataSource;

    public RunRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs newest first.
     *
     * @param status null for all, {@link #ACTIVE}, {@link #FINISHED} or a stored run status
     * @param search null, or text found in the name, id, pool or a model reference (case-insensitive)
     */
    public List<RunOverview> list(String status, String search, int limit, int offset) {
        LOG.debugf("listing runs status=%s search=%s limit=%d offset=%d", status, search, limit, offset);
        StringBuilder sql = new StringBuilder(OVERVIEW).append(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (ACTIVE.equals(status)) {
            sql.append(" AND r.finished_at IS NULL");
        } else if (FINISHED.equals(status)) {
            sql.append(" AND r.finished_at IS NOT NULL");
        } else if (status != null) {
            sql.append(" AND r.status = ?");
            parameters.add(status);
        }
        if (search != null) {
            String pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (r.name ILIKE ? OR r.id::text ILIKE ? OR r.pool ILIKE ?"
                    + " OR EXISTS (SELECT 1 FROM artifact a WHERE a.run_id = r.id AND a.model_ref ILIKE ?))");
            parameters.addAll(List.of(pattern, pattern, pattern, pattern));
        }
        sql.append(" GROUP BY r.id ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?");
        parameters.add(limit);
        parameters.add(offset);
        return overviews(sql.toString(), parameters);
    }

    public Optional<RunOverview> find(UUID runId) {
        List<RunOverview> found = overviews(OVERVIEW + " WHERE r.id = ? GROUP BY r.id", List.of(runId));
        return found.stream().findFirst();
    }

    /** The run statuses stored at all, for the run list's filter. */
    public List<String> statuses() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT status FROM run ORDER BY status");
             ResultSet rows = statement.executeQuery()) {
            List<String> statuses = new ArrayList<>();
            while (rows.next()) {
                statuses.add(rows.getString(1));
            }
            return statuses;
        } catch (SQLException e) {
            throw new StoredDataException("reading run statuses failed", e);
        }
    }

    /** The trials of the runs, run by run in the order given, then by variant and artifact position. */
    public List<TrialView> trials(List<UUID> runIds) {
        LOG.debugf("reading the trials of runs %s", runIds);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(TRIALS)) {
            Array ids = connection.createArrayOf("uuid", runIds.toArray());
            statement.setArray(1, ids);
            statement.setArray(2, ids);
            List<TrialView> trials = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    trials.add(trial(rows));
                }
            }
            return trials;
        } catch (SQLException e) {
            throw new StoredDataException("reading the trials of runs " + runIds + " failed", e);
        }
    }

    /** Each trial's metric across the runs that measured the same artifact and flags on the same pool. */
    public List<HistoryPoint> history(Collection<UUID> trialIds, Metric metric) {
        LOG.debugf("reading the %s history of %d trials", metric.key, trialIds.size());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(HISTORY)) {
            statement.setString(1, metric.key);
            statement.setArray(2, connection.createArrayOf("uuid", trialIds.toArray()));
            statement.setString(3, metric.key);
            List<HistoryPoint> points = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    points.add(new HistoryPoint(rows.getObject("series_trial", UUID.class),
                            rows.getObject("run_id", UUID.class), rows.getString("name"),
                            rows.getTimestamp("created_at").toInstant(), rows.getDouble("value"),
                            rows.getString("llama_version"), rows.getString("llama_commit")));
                }
            }
            return points;
        } catch (SQLException e) {
            throw new StoredDataException("reading the history of trials failed", e);
        }
    }

    private List<RunOverview> overviews(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", FINAL_STATUSES));
            statement.setString(2, TrialStatus.FAILED.name());
            statement.setString(3, TrialStatus.RUNNING.name());
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 4, parameters.get(i));
            }
            List<RunOverview> runs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    runs.add(new RunOverview(rows.getObject("id", UUID.class), rows.getString("name"),
                            rows.getString("pool"), rows.getString("status"), instant(rows, "created_at"),
                            instant(rows, "updated_at"), instant(rows, "finished_at"),
                            List.of((String[]) rows.getArray("models").getArray()), rows.getInt("trials"),
                            rows.getInt("finished"), rows.getInt("failed"), rows.getInt("running"),
                            rows.getLong("samples_done"), rows.getLong("samples_total")));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new StoredDataException("reading runs failed", e);
        }
    }

    private static TrialView trial(ResultSet rows) throws SQLException {
        return new TrialView(rows.getObject("id", UUID.class), rows.getObject("run_id", UUID.class),
                rows.getString("run_name"), rows.getString("pool"), instant(rows, "run_created_at"),
                rows.getObject("variant_id", UUID.class), rows.getInt("variant_position"),
                rows.getString("variant_name"), rows.getBoolean("baseline"),
                json(rows, "sweep_values", SWEEP_VALUES, Map.of()),
                rows.getObject("artifact_id", UUID.class), rows.getInt("artifact_position"),
                rows.getString("model_ref"), rows.getString("quantization"), rows.getInt("prune_layers"),
                rows.getString("status"), rows.getString("phase"), integer(rows, "samples_done"),
                integer(rows, "samples_total"), rows.getInt("attempts"), rows.getString("worker_id"),
                rows.getString("reason"), rows.getString("stderr_tail"),
                json(rows, "environment", Environment.class), json(rows, "argv", ARGV, List.of()),
                number(rows, "load_millis"), number(rows, "peak_rss_bytes"), number(rows, "peak_gpu_memory_bytes"),
                instant(rows, "started_at"), instant(rows, "finished_at"),
                json(rows, "summary", TrialSummary.class), instant(rows, "summary_updated_at"));
    }

    private static <T> T json(ResultSet rows, String column, Class<T> type) throws SQLException {
        String text = rows.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoredDataException("stored " + column + " is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T json(ResultSet rows, String column, TypeReference<T> type, T absent) throws SQLException {
        String text = rows.getString(column);
        if (text == null) {
            return absent;
        }
        try {
            T value = JSON.readValue(text, type);
            return value == null ? absent : value;
        } catch (JsonProcessingException e) {
            throw new StoredDataException("stored " + column + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static java.time.Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp timestamp = rows.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Integer integer(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    private static Long number(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
