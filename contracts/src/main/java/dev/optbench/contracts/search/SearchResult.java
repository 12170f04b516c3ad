package dev.optbench.contracts.search;

import dev.optbench.contracts.stats.Interval;
import dev.optbench.contracts.stats.Rate;
import java.util.List;
import java.util.UUID;

/**
 * What a search found so far, rewritten after every round: each trial it spent, the best feasible objective
 * against trials spent, and once it ends the recommendation with its evidence and the Pareto front.
 *
 * @param trialsSpent   llama-server starts of the search's runs that ended (succeeded or failed)
 * @param deviceSeconds the wall time of those trials on the workers
 * @param excluded      what the search ruled out before measuring it, with the reason (an artifact over a quality
 *                      constraint)
 */
public record SearchResult(
        String objective,
        String objectiveTitle,
        boolean higherIsBetter,
        int trialsSpent,
        Integer trialBudget,
        double deviceSeconds,
        Double deviceHoursBudget,
        int spaceSize,
        List<SearchTrial> trials,
        List<ProgressPoint> progress,
        List<String> excluded,
        Recommendation recommendation,
        List<ParetoPoint> paretoFront) {

    /**
     * One trial the search spent.
     *
     * @param stage                     {@code screen}, {@code explore} or {@code final}
     * @param objective                 the trial's objective value; null when it failed
     * @param decodeBoundTokensPerSecond the memory-bandwidth bound of decoding for this trial: bandwidth ÷ bytes read
     *                                  per generated token (weights plus the KV cache read at the trial's mean context)
     * @param rooflineShare             the trial's generation tok/s as a share of that bound (0.5 = 50 %)
     * @param violations                the constraints it broke, empty when it is feasible
     */
    public record SearchTrial(
            int index,
            UUID runId,
            UUID trialId,
            String stage,
            String config,
            String status,
            Double objective,
            Double generationTokensPerSecond,
            Double decodeBoundTokensPerSecond,
            Double rooflineShare,
            Boolean feasible,
            List<String> violations) {
    }

    /**
     * After {@code trials} trials, the best objective measured so far by a configuration of the space that met the
     * constraints (the baseline's flags are a reference, not a candidate), and that trial's own value.
     */
    public record ProgressPoint(int trials, Double bestSoFar, String bestConfig, Double trialObjective, Boolean trialFeasible) {
    }

    /**
     * The configuration to use.
     *
     * @param objective       its mean objective over its full-workload measurements
     * @param gainPercent     its objective against the baseline's, measured in the same runs, in percent of the
     *                        baseline's, better positive, with a 95 % bootstrap interval over the requests
     * @param commandLine     ready to paste: {@code llama-server -m MODEL.gguf --flash-attn on ...}
     */
    public record Recommendation(
            SearchConfig config,
            String label,
            double objective,
            int measurements,
            Double baselineObjective,
            Interval gainPercent,
            QualityEvidence quality,
            String commandLine,
            Double rooflineShare,
            Double decodeBoundTokensPerSecond) {
    }

    /**
     * Why its answers hold: each figure the constraints name, measured, and whether it passed.
     *
     * @param perplexityIncreasePercent against the baseline artifact's perplexity on the same corpus
     */
    public record QualityEvidence(
            Double klDivergenceMean,
            Double sameTopTokenPercent,
            Double perplexity,
            Double baselinePerplexity,
            Double perplexityIncreasePercent,
            Rate judgeWin,
            Rate judgeLoss,
            Boolean degraded,
            List<String> checks) {
    }

    /** A configuration on the front of speed against quality: none of the measured ones is better at both. */
    public record ParetoPoint(String config, double objective, Double klDivergence, Double perplexity, boolean feasible,
                              boolean recommended) {
    }
}
