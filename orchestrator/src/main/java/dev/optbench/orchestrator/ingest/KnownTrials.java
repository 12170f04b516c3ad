package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.TrialStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** The stored trials a batch of messages names, read in one query. */
record KnownTrials(Map<UUID, Trial> byId) {

    record Trial(UUID runId, TrialStatus status) {
    }

    static KnownTrials lookUp(Connection connection, Collection<UUID> ids) throws SQLException {
        Map<UUID, Trial> trials = new HashMap<>();
        UUID[] wanted = ids.stream().filter(Objects::nonNull).distinct().toArray(UUID[]::new);
        if (wanted.length > 0) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, run_id, status FROM trial WHERE id = ANY(?)")) {
                select.setArray(1, connection.createArrayOf("uuid", wanted));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        trials.put(rs.getObject(1, UUID.class), new Trial(rs.getObject(2, UUID.class), TrialStatus.valueOf(rs.getString(3))));
                    }
                }
            }
        }
        return new KnownTrials(trials);
    }

    /** Why a message about this trial of this run cannot be stored, or null when it can. */
    String problem(UUID trialId, UUID runId) {
        if (trialId == null) {
            return "the message names no trialId";
        }
        Trial trial = byId.get(trialId);
        if (trial == null) {
            return "unknown trial " + trialId;
        }
        if (runId != null && !trial.runId().equals(runId)) {
            return "trial " + trialId + " belongs to run " + trial.runId() + ", not " + runId;
        }
        return null;
    }

    Trial get(UUID trialId) {
        return byId.get(trialId);
    }
}
