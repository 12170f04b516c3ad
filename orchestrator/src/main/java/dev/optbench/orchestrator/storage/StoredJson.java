package dev.optbench.orchestrator.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.optbench.contracts.messages.Messages;
import java.io.UncheckedIOException;

/**
 * Reads the JSON columns (jsonb) the orchestrator wrote with {@code Messages.toJson}: contracts' records, lists
 * and maps. A column that does not read back is a bug, not bad input, so it fails loudly.
 */
public final class StoredJson {
    private StoredJson() {
    }

    public static <T> T read(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return Messages.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a stored " + type.getSimpleName() + " does not read back", e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return Messages.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a stored " + type.getType() + " does not read back", e);
        }
    }
}
