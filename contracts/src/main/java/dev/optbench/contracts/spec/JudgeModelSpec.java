package dev.optbench.contracts.spec;

/**
 * A judge model.
 *
 * @param provider {@code ollama} or {@code openai} (any OpenAI-compatible endpoint, llama-server included)
 * @param baseUrl  the endpoint, e.g. {@code http://localhost:11434}
 * @param model    the model name the endpoint knows
 */
public record JudgeModelSpec(String provider, String baseUrl, String model) {
}
