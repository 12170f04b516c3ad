package dev.optbench.orchestrator.runs.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bad fields of one request, by path ({@code variants[1].flags.--port}), each with the first thing wrong
 * with it: a field with a type error is not also reported as missing.
 */
public final class FieldErrors {
    private final Map<String, String> byPath = new LinkedHashMap<>();

    /** A field's problem; the message completes a sentence that starts with the field's path. */
    public record FieldError(String field, String message) {
    }

    public void add(String path, String message) {
        byPath.putIfAbsent(path, message);
    }

    public boolean has(String path) {
        return byPath.containsKey(path);
    }

    public boolean isEmpty() {
        return byPath.isEmpty();
    }

    public List<FieldError> list() {
        List<FieldError> errors = new ArrayList<>(byPath.size());
        byPath.forEach((field, message) -> errors.add(new FieldError(field, message)));
        return errors;
    }

    /** Throws when any field is bad. */
    public void throwIfAny() {
        if (!byPath.isEmpty()) {
            throw new InvalidRunSpecException(list());
        }
    }

    static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }
}
