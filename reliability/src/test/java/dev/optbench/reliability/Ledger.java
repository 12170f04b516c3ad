package dev.optbench.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What the stack stored for some runs, read straight from PostgreSQL: per trial its status and reason, the samples
 * its workload plans, the rows stored and the distinct (concurrency, repetition, conversation, round) among them.
 * A SUCCEEDED trial must hold exactly its planned samples once; a FAILED one must say why.
 */
record Ledger(int runs, int trials, long expected, long stored, long lost, long duplicated, int failed, List<String> problems) {

    private static final String PER_TRIAL = "SELECT t.id, t.status, t.reason, count(s.id), "
            + "count(DISTINCT (s.concurrency, s.repetition, s.conversation_id, s.round)) FILTER (WHERE s.id IS NOT NULL) "
            + "FROM trial t LEFT JOIN sample s ON s.trial_id = t.id WHERE t.run_id = ? GROUP BY t.id, t.status, t.reason";

    static Ledger of(Collection<UUID> runIds) {
        int trials = 0;
        int failed = 0;
        long expected = 0;
        long stored = 0;
        long lost = 0;
        long duplicated = 0;
        List<String> problems = new ArrayList<>();
        try (Connection db = Stack.database(); PreparedStatement select = db.prepareStatement(PER_TRIAL)) {
            for (UUID runId : runIds) {
                JsonNode run = Api.run(runId);
                int planned = run.path("workload").path("samplesPerTrial").asInt();
                if (!run.path("status").asText().equals("COMPLETED")) {
                    problems.add("run " + runId + " is " + run.path("status").asText());
                }
                select.setObject(1, runId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        trials++;
                        String trial = rs.getString(1);
                        String status = rs.getString(2);
                        String reason = rs.getString(3);
                        long rows = rs.getLong(4);
                        long distinct = rs.getLong(5);
                        duplicated += rows - distinct;
                        switch (status) {
                            case "SUCCEEDED" -> {
                                expected += planned;
                                stored += distinct;
                                lost += Math.max(0, planned - distinct);
                                if (distinct != planned || rows != planned) {
                                    problems.add("trial " + trial + " SUCCEEDED with " + rows + " rows, " + distinct + " distinct, " + planned + " planned");
                                }
                            }
                            case "FAILED" -> {
                                failed++;
                                if (reason == null || reason.isBlank()) {
                                    problems.add("trial " + trial + " FAILED without a reason");
                                }
                            }
                            default -> problems.add("trial " + trial + " is " + status);
                        }
                    }
                }
            }
            duplicated += duplicateScores(db, runIds, problems);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the stored runs", e);
        }
        return new Ledger(runIds.size(), trials, expected, stored, lost, duplicated, failed, problems);
    }

    /** Scores stored more than once for the same sample and kind. */
    private static long duplicateScores(Connection db, Collection<UUID> runIds, List<String> problems) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(
                "SELECT count(*) - count(DISTINCT (sample_id, kind)) FROM score WHERE run_id = ANY(?)")) {
            select.setArray(1, db.createArrayOf("uuid", runIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long duplicates = rs.getLong(1);
                if (duplicates > 0) {
                    problems.add(duplicates + " duplicate scores");
                }
                return duplicates;
            }
        }
    }

    /** The judge service's raw reply of a tie it decides without the model (its ScoringService.IDENTICAL_ANSWERS). */
    private static final String IDENTICAL_ANSWERS = "identical answers: a tie, decided without asking the judge";

    /** Scores stored for a run, one per (sample, kind). */
    static long scores(UUID runId) {
        return countScores("SELECT count(*) FROM score WHERE run_id = ?", runId);
    }

    /**
     * Scores stored for a run that needed the judge model. A variant's answer identical to the baseline's is a tie the
     * judge service decides without the model (its raw reply says so), so it does not count.
     */
    static long scoresFromTheModel(UUID runId) {
        return countScores("SELECT count(*) FROM score WHERE run_id = ? AND NOT coalesce(raw_replies @> jsonb_build_array(?::text), false)",
                runId, IDENTICAL_ANSWERS);
    }

    private static long countScores(String sql, Object... parameters) {
        try (Connection db = Stack.database(); PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean exactlyOnce() {
        return problems.isEmpty() && lost == 0 && duplicated == 0;
    }
}
