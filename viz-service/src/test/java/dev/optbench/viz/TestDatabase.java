package dev.optbench.viz;

import dev.optbench.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The viz tests' database: a schema of their own in the tests' PostgreSQL, made afresh with the schema module's
 * migrations exactly as the orchestrator applies them, and dropped afterwards. Other modules' tests share the
 * server; a schema of its own keeps their rows, and any state they left, out of these tests.
 */
public final class TestDatabase implements QuarkusTestResourceLifecycleManager {
    static final String SCHEMA = "viz_test";

    @Override
    public Map<String, String> start() {
        try (Connection connection = DriverManager.getConnection(TestInfrastructure.jdbcUrl(), TestInfrastructure.dbUser(),
                TestInfrastructure.dbPassword()); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the schema " + SCHEMA, e);
        }
        Flyway.configure()
                .dataSource(TestInfrastructure.jdbcUrl(), TestInfrastructure.dbUser(), TestInfrastructure.dbPassword())
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return Map.of("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", SCHEMA);
    }

    @Override
    public void stop() {
        try (Connection connection = DriverManager.getConnection(TestInfrastructure.jdbcUrl(), TestInfrastructure.dbUser(),
                TestInfrastructure.dbPassword()); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the schema " + SCHEMA, e);
        }
    }

    public static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", TestInfrastructure.dbUser());
        properties.setProperty("password", TestInfrastructure.dbPassword());
        properties.setProperty("currentSchema", SCHEMA);
        return DriverManager.getConnection(TestInfrastructure.jdbcUrl(), properties);
    }

    public static void insert(RunFixture... runs) throws SQLException {
        try (Connection connection = connect()) {
            for (RunFixture run : runs) {
                run.insert(connection);
            }
        }
    }

    public static void delete(RunFixture... runs) throws SQLException {
        try (Connection connection = connect()) {
            for (RunFixture run : runs) {
                run.delete(connection);
            }
        }
    }
}
