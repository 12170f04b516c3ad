package dev.optbench.viz.searches;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.search.SearchResult;
import dev.optbench.viz.runs.StoredDataException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads a search's stored result (the orchestrator rewrites it after every round). */
@ApplicationScoped
public class SearchRepository {
    private final DataSource dataSource;

    public SearchRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A search's name, status and result so far. */
    public record StoredSearch(UUID id, String name, String status, SearchResult result) {
    }

    public Optional<StoredSearch> find(UUID id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT name, status, result FROM search WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String json = rs.getString(3);
                SearchResult result = json == null ? null : Messages.mapper().readValue(json, SearchResult.class);
                return Optional.of(new StoredSearch(id, rs.getString(1), rs.getString(2), result));
            }
        } catch (SQLException | IOException e) {
            throw new StoredDataException("reading search " + id + " failed: " + e.getMessage(), e);
        }
    }
}
