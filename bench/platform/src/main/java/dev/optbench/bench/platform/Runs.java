package dev.optbench.bench.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** Removes a benchmark's run from the stack's database once measured, so repeated benchmarks do not pile up. */
final class Runs {
    private Runs() {
    }

    static void delete(Stack stack, UUID runId) throws SQLException {
        try (Connection connection = stack.database();
             PreparedStatement outbox = connection.prepareStatement("DELETE FROM outbox WHERE run_id = ?");
             PreparedStatement run = connection.prepareStatement("DELETE FROM run WHERE id = ?")) {
            outbox.setObject(1, runId);
            outbox.executeUpdate();
            run.setObject(1, runId);
            run.executeUpdate();
        }
    }
}
