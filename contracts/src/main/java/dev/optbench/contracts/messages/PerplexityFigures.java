package dev.optbench.contracts.messages;

/**
 * llama-perplexity's figures for one artifact on one corpus. The KL-divergence fields compare the
 * artifact's token distributions with the baseline artifact's on the same text, and are null for the
 * baseline artifact itself.
 */
public record PerplexityFigures(
        String corpus,
        double perplexity,
        Double perplexityError,
        Double klDivergenceMean,
        Double klDivergenceP99,
        Double sameTopTokenPercent,
        int contextSize,
        int chunks) {
}
