package dev.optbench.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FlywayMigrationTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void migrationsAreAppliedToTheRealPostgres() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             ResultSet history = connection.createStatement().executeQuery(
                     "SELECT count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success), "
                             + "bool_or(version = '1') FROM flyway_schema_history WHERE version IS NOT NULL")) {
            assertTrue(history.next());
            assertTrue(history.getInt(1) >= 1, "at least one applied migration");
            assertEquals(0, history.getInt(2), "no failed migration");
            assertTrue(history.getBoolean(3), "V1 applied");
            assertTrue(connection.getMetaData().getDatabaseProductName().contains("PostgreSQL"));
        }
    }

    @Test
    void createsTheTablesOfRunsTrialsSamplesAndScores() throws SQLException {
        Set<String> tables = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        assertTrue(tables.containsAll(Set.of("run", "variant", "artifact", "trial", "sample", "score", "outbox", "worker")), tables.toString());
    }
}
