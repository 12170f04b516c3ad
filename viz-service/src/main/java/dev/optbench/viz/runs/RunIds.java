package dev.optbench.viz.runs;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Run ids as URLs carry them: one in a path, several in a query parameter, repeated or comma-separated.
 */
public final class RunIds {
    private RunIds() {
    }

    /** @throws RunNotFoundException when the text is no id at all: no such run can be stored */
    public static UUID parse(String text) {
        try {
            return UUID.fromString(text.trim());
        } catch (IllegalArgumentException e) {
            throw new RunNotFoundException(text);
        }
    }

    /** The ids in order, each once. */
    public static List<UUID> parseAll(List<String> values) {
        return values == null ? List.of() : values.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .filter(item -> !item.isBlank())
                .map(RunIds::parse)
                .distinct()
                .toList();
    }
}
