package dev.optbench.orchestrator.support;

import dev.optbench.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Counts rows in the real test database, straight through JDBC (not through the code under test). */
public final class Database {
    private Database() {
    }

    public static long count(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(TestInfrastructure.jdbcUrl(), TestInfrastructure.dbUser(),
                TestInfrastructure.dbPassword());
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
