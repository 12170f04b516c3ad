package dev.optbench.contracts.search;

import dev.optbench.contracts.spec.QualitySpec;
import dev.optbench.contracts.spec.VariantSpec;
import dev.optbench.contracts.spec.WorkloadSpec;
import java.util.List;

/**
 * A search for the best llama.cpp configuration: the body of {@code POST /api/searches}. The orchestrator runs it
 * as a sequence of ordinary runs (screening, exploration, final repetitions), so every trial it spends is a
 * stored trial of a run.
 *
 * @param models            model refs, as a run spec names them; several make it a model selection
 * @param baseline          the configuration every gain is measured against (default: no flags, the first
 *                          quantization of the space or the file as it is)
 * @param objective         {@code maxGenerationTokensPerSecond}, {@code minLatencyP95}, {@code minTtft} or
 *                          {@code maxTokensPerSecondPerGb}
 * @param workload          the full workload: the finalists' measurements
 * @param screeningWorkload the short workload of screening and exploration; default: the full one with one round,
 *                          one repetition, the first concurrency level and at most 32 tokens per answer
 * @param finalists         how many survivors of the short workload are measured on the full one (default 2)
 * @param repetitions       how many interleaved full-workload measurements each finalist gets (default 2)
 * @param batchSize         configurations proposed per exploration round (default 4)
 * @param quality           the judge model for the judge constraint, the corpus for perplexity and KL divergence
 * @param seed              the proposer's random seed (default 42): the same measurements give the same proposals
 */
public record SearchSpec(
        String name,
        String pool,
        List<String> models,
        VariantSpec baseline,
        SearchSpace space,
        String objective,
        SearchConstraints constraints,
        SearchBudget budget,
        WorkloadSpec workload,
        WorkloadSpec screeningWorkload,
        Integer finalists,
        Integer repetitions,
        Integer batchSize,
        QualitySpec quality,
        Long seed) {
}
