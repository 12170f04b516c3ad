package dev.optbench.contracts.spec;

/**
 * Which quality figures a run asks for.
 *
 * @param judge      score answers with the LLM judge
 * @param judgeModel the judge to use for this run; null means the judge service's default
 * @param perplexity perplexity and KL divergence of each artifact on a corpus, or null
 */
public record QualitySpec(Boolean judge, JudgeModelSpec judgeModel, PerplexitySpec perplexity) {
}
