package dev.optbench.contracts.search;

/**
 * What a recommended configuration must keep; every field is optional.
 *
 * @param maxJudgeLossUpper            the upper end of the 95 % Wilson interval of the judge's loss rate against the
 *                                     baseline's answers, as a fraction (0.2 = 20 %)
 * @param maxKlDivergence              mean KL divergence of the artifact's logits against the baseline artifact's
 * @param maxPerplexityIncreasePercent perplexity increase against the baseline artifact's, in percent
 * @param peakMemoryWithinDevice       peak GPU memory (or RSS on a CPU worker) within the device's memory
 * @param maxTtftMillis                the trial's median time to first token
 */
public record SearchConstraints(
        Double maxJudgeLossUpper,
        Double maxKlDivergence,
        Double maxPerplexityIncreasePercent,
        Boolean peakMemoryWithinDevice,
        Double maxTtftMillis) {

    public boolean needsPerplexity() {
        return maxKlDivergence != null || maxPerplexityIncreasePercent != null;
    }

    public boolean needsJudge() {
        return maxJudgeLossUpper != null;
    }
}
