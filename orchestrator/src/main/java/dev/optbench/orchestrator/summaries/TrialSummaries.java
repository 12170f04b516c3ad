package dev.optbench.orchestrator.summaries;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.summary.QualityAggregation;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.storage.StoredJson;
import dev.optbench.orchestrator.summaries.TrialSummaryCalculator.TrialFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Computes trial summaries and keeps them in {@code trial_summary}: when a trial becomes final, and when its
 * scores arrive. A trial's changes against the baseline depend on its reference trial's figures, so whenever a
 * reference trial's summary changes, the trials compared with it get their changes recomputed too.
 */
@ApplicationScoped
public class TrialSummaries {
    private static final Logger LOG = Logger.getLogger(TrialSummaries.class);

    private static final TypeReference<List<String>> ARGV = new TypeReference<>() {
    };

    private final Session session;

    public TrialSummaries(Session session) {
        this.session = session;
    }

    /** Computes and stores the summaries of these trials of one run from their stored samples and scores. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void summarise(UUID runId, Collection<UUID> trialIds) {
        if (trialIds.isEmpty()) {
            return;
        }
        session.flush();
        session.doWork(connection -> {
            Map<UUID, UUID> references = ReferenceTrials.of(connection, runId);
            boolean severalArtifacts = artifactCount(connection, runId) > 1;
            for (UUID trialId : referencesFirst(trialIds, references)) {
                TrialFacts facts = facts(connection, trialId, references.get(trialId), severalArtifacts);
                if (facts == null) {
                    continue;
                }
                TrialSummary summary = TrialSummaryCalculator.summarise(facts, samples(connection, trialId),
                        scores(connection, trialId), referenceFigures(connection, facts.referenceTrialId()));
                store(connection, runId, summary);
            }
            refreshDependants(connection, runId, trialIds, references);
            LOG.debugf("summarised %d trial(s) of run %s", trialIds.size(), runId);
        });
    }

    /** Recomputes the quality part of these trials' summaries after their scores changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refreshQuality(UUID runId, Collection<UUID> trialIds) {
        session.flush();
        session.doWork(connection -> {
            Map<UUID, UUID> references = ReferenceTrials.of(connection, runId);
            List<UUID> unsummarised = new ArrayList<>();
            for (UUID trialId : referencesFirst(trialIds, references)) {
                TrialSummary stored = stored(connection, trialId);
                if (stored == null) {
                    unsummarised.add(trialId);
                    continue;
                }
                var quality = QualityAggregation.of(scores(connection, trialId), perplexity(connection, trialId));
                store(connection, runId, TrialSummaryCalculator.withQuality(stored, quality, referenceFigures(connection, stored.referenceTrialId())));
            }
            refreshDependants(connection, runId, trialIds, references);
            if (!unsummarised.isEmpty()) {
                LOG.debugf("scores for %d trial(s) of run %s that have no summary yet; they get one when they finish", unsummarised.size(), runId);
            }
        });
    }

    /** The stored summaries of a run, in trial order of the run (variants, then artifacts). */
    public static List<TrialSummary> ofRun(Connection connection, UUID runId) throws SQLException {
        List<TrialSummary> summaries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT s.summary FROM trial_summary s JOIN trial t ON t.id = s.trial_id JOIN variant v ON v.id = t.variant_id "
                        + "JOIN artifact a ON a.id = t.artifact_id WHERE s.run_id = ? ORDER BY v.position, a.position")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    summaries.add(parse(rs.getString(1)));
                }
            }
        }
        return summaries;
    }

    private static List<UUID> referencesFirst(Collection<UUID> trialIds, Map<UUID, UUID> references) {
        Set<UUID> ordered = new LinkedHashSet<>();
        trialIds.stream().filter(id -> references.containsKey(id) && references.get(id) == null).forEach(ordered::add);
        ordered.addAll(trialIds);
        return new ArrayList<>(ordered);
    }

    private void refreshDependants(Connection connection, UUID runId, Collection<UUID> changed, Map<UUID, UUID> references) throws SQLException {
        Set<UUID> changedReferences = new LinkedHashSet<>();
        changed.stream().filter(id -> references.containsKey(id) && references.get(id) == null).forEach(changedReferences::add);
        if (changedReferences.isEmpty()) {
            return;
        }
        Map<UUID, Map<String, Double>> figures = new LinkedHashMap<>();
        for (UUID reference : changedReferences) {
            figures.put(reference, referenceFigures(connection, reference));
        }
        for (Map.Entry<UUID, UUID> entry : references.entrySet()) {
            if (entry.getValue() != null && changedReferences.contains(entry.getValue()) && !changed.contains(entry.getKey())) {
                TrialSummary stored = stored(connection, entry.getKey());
                if (stored != null) {
                    store(connection, runId, TrialSummaryCalculator.withReference(stored, figures.get(entry.getValue())));
                }
            }
        }
    }

    private static int artifactCount(Connection connection, UUID runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM artifact WHERE run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static TrialFacts facts(Connection connection, UUID trialId, UUID referenceTrialId, boolean severalArtifacts) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT v.id, v.name, v.baseline, a.id, a.label, t.status, t.reason, t.load_millis, t.cold_generation, "
                        + "t.peak_rss_bytes, t.peak_gpu_memory_bytes, a.size_bytes, t.perplexity, t.environment, t.argv, "
                        + "a.decode_weight_bytes, a.kv_bytes_per_position "
                        + "FROM trial t JOIN variant v ON v.id = t.variant_id JOIN artifact a ON a.id = t.artifact_id WHERE t.id = ?")) {
            select.setObject(1, trialId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String variant = rs.getString(2);
                String artifact = rs.getString(5);
                return new TrialFacts(trialId, rs.getObject(1, UUID.class), variant, rs.getBoolean(3), rs.getObject(4, UUID.class),
                        artifact, severalArtifacts ? variant + " · " + artifact : variant, rs.getString(6), rs.getString(7),
                        referenceTrialId, (Long) rs.getObject(8), StoredJson.read(rs.getString(9), Sample.class), (Long) rs.getObject(10),
                        (Long) rs.getObject(11), (Long) rs.getObject(12), StoredJson.read(rs.getString(13), PerplexityFigures.class),
                        new TrialSummaryCalculator.RooflineInputs(StoredJson.read(rs.getString(14), Environment.class),
                                StoredJson.read(rs.getString(15), ARGV), (Long) rs.getObject(16), (Long) rs.getObject(17)));
            }
        }
    }

    private static PerplexityFigures perplexity(Connection connection, UUID trialId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT perplexity FROM trial WHERE id = ?")) {
            select.setObject(1, trialId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? StoredJson.read(rs.getString(1), PerplexityFigures.class) : null;
            }
        }
    }

    /** The figures a summary needs of each sample; the answer texts stay in the database. */
    private static List<Sample> samples(Connection connection, UUID trialId) throws SQLException {
        List<Sample> samples = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT round, latency_millis, ttft_millis, inter_token_millis_mean, generation_tokens_per_second, "
                        + "server_generation_tokens_per_second, server_prompt_tokens_per_second, prompt_tokens, error, completion_tokens "
                        + "FROM sample WHERE trial_id = ?")) {
            select.setObject(1, trialId);
            select.setFetchSize(2_000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    samples.add(new Sample(null, null, rs.getInt(1), 0, 0, null, rs.getInt(8), rs.getInt(10), 0, rs.getDouble(3),
                            rs.getDouble(2), (Double) rs.getObject(4), null, (Double) rs.getObject(5), null,
                            (Double) rs.getObject(7), null, (Double) rs.getObject(6), null, null, null, null, null, rs.getString(9)));
                }
            }
        }
        return samples;
    }

    private static List<Score> scores(Connection connection, UUID trialId) throws SQLException {
        List<Score> scores = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, verdict, grade, position_disagreement FROM score WHERE trial_id = ?")) {
            select.setObject(1, trialId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    scores.add(new Score(SchemaVersion.CURRENT, null, null, trialId, null, ScoreKind.valueOf(rs.getString(1)),
                            Verdict.valueOf(rs.getString(2)), (Double) rs.getObject(3), (Boolean) rs.getObject(4),
                            null, null, null, null));
                }
            }
        }
        return scores;
    }

    private static Map<String, Double> referenceFigures(Connection connection, UUID referenceTrialId) throws SQLException {
        if (referenceTrialId == null) {
            return null;
        }
        TrialSummary reference = stored(connection, referenceTrialId);
        return reference == null ? null : reference.figures();
    }

    private static TrialSummary stored(Connection connection, UUID trialId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT summary FROM trial_summary WHERE trial_id = ?")) {
            select.setObject(1, trialId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? parse(rs.getString(1)) : null;
            }
        }
    }

    private static void store(Connection connection, UUID runId, TrialSummary summary) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO trial_summary (trial_id, run_id, summary, updated_at) VALUES (?, ?, ?::jsonb, now()) "
                        + "ON CONFLICT (trial_id) DO UPDATE SET summary = EXCLUDED.summary, updated_at = EXCLUDED.updated_at")) {
            upsert.setObject(1, summary.trialId());
            upsert.setObject(2, runId);
            upsert.setString(3, Messages.toJson(summary));
            upsert.executeUpdate();
        }
    }

    private static TrialSummary parse(String json) {
        return StoredJson.read(json, TrialSummary.class);
    }
}
