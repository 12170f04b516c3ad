package dev.optbench.contracts.spec;

import java.util.LinkedHashMap;

/**
 * A named set of llama-server flags as users write them: {@code {"--flash-attn": null, "--threads": 4}}.
 * A null value marks a flag without a value; the map keeps the order the user wrote.
 */
public record VariantSpec(String name, LinkedHashMap<String, Object> flags) {
}
