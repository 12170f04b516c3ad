package dev.optbench.contracts.spec;

/**
 * @param corpus a shipped corpus ({@code builtin:sample-text}) or a text file under the models directory
 */
public record PerplexitySpec(String corpus) {
}
