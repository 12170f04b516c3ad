package dev.optbench.contracts.messages;

/**
 * One llama-server flag after validation; {@code value} is null for a flag without a value.
 */
public record Flag(String name, String value) {
}
