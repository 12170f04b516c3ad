package dev.optbench.orchestrator.summaries;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Which trial each trial of a run is compared with: the baseline variant's trial on the first artifact of the
 * same model. That trial itself maps to null.
 */
public final class ReferenceTrials {
    private ReferenceTrials() {
    }

    /** Trial id → its reference trial id (null for a reference trial, or when the model has no baseline trial). */
    public static Map<UUID, UUID> of(Connection connection, UUID runId) throws SQLException {
        record Row(UUID trial, int model, int position, boolean baseline) {
        }
        Map<UUID, Row> rows = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT t.id, a.model_index, a.position, v.baseline FROM trial t "
                        + "JOIN artifact a ON a.id = t.artifact_id JOIN variant v ON v.id = t.variant_id WHERE t.run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID trial = rs.getObject(1, UUID.class);
                    rows.put(trial, new Row(trial, rs.getInt(2), rs.getInt(3), rs.getBoolean(4)));
                }
            }
        }
        Map<Integer, Integer> firstPosition = new HashMap<>();
        rows.values().forEach(r -> firstPosition.merge(r.model(), r.position(), Math::min));
        Map<Integer, UUID> referenceOfModel = new HashMap<>();
        rows.values().stream().filter(r -> r.baseline() && r.position() == firstPosition.get(r.model()))
                .forEach(r -> referenceOfModel.put(r.model(), r.trial()));
        Map<UUID, UUID> references = new LinkedHashMap<>();
        rows.values().forEach(r -> {
            UUID reference = referenceOfModel.get(r.model());
            references.put(r.trial(), r.trial().equals(reference) ? null : reference);
        });
        return references;
    }
}
