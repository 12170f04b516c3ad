package dev.optbench.orchestrator.searches.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.optbench.contracts.search.SearchSpec;
import dev.optbench.orchestrator.problems.InvalidFieldsException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a search spec strictly: unknown fields and wrong types are a 400 naming the field, so a misspelt
 * {@code "maxKlDivergnce"} never silently drops a constraint.
 */
public final class SearchSpecReader {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private SearchSpecReader() {
    }

    public static SearchSpec read(String body) {
        if (body == null || body.isBlank()) {
            throw InvalidFieldsException.of("", "is empty: send a search spec as a JSON object");
        }
        try {
            SearchSpec spec = STRICT.readValue(body, SearchSpec.class);
            if (spec == null) {
                throw InvalidFieldsException.of("", "must be a JSON object holding a search spec");
            }
            return spec;
        } catch (UnrecognizedPropertyException e) {
            throw InvalidFieldsException.of(path(e.getPath()), "is not a known field; expected one of "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            throw InvalidFieldsException.of(path(e.getPath()), "has the wrong type: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw InvalidFieldsException.of("", "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
