package dev.optbench.orchestrator.searches.strategy;

import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.stats.Rate;
import java.util.UUID;

/**
 * One trial a search spent, as the planner sees it: the configuration, the stage and what was measured.
 *
 * @param stage        {@code screen}, {@code explore} or {@code final}
 * @param objective    the objective's value, null when the trial failed or lacks the figure
 * @param peakMemoryBytes peak GPU memory, else peak RSS
 * @param deviceMemoryBytes the memory of the device it ran on
 * @param perplexity   llama-perplexity's figures, on the trials that measured the artifact's quality
 */
public record Observation(
        UUID runId,
        UUID trialId,
        int round,
        String stage,
        SearchConfig config,
        String status,
        Double objective,
        Double generationTokensPerSecond,
        Double ttftMillis,
        Long peakMemoryBytes,
        Long deviceMemoryBytes,
        Rate judgeWin,
        Rate judgeLoss,
        Boolean degraded,
        PerplexityFigures perplexity,
        Double decodeBoundTokensPerSecond,
        Double rooflineShare,
        Double wallSeconds) {

    public static final String SCREEN = "screen";
    public static final String EXPLORE = "explore";
    public static final String FINAL = "final";

    public boolean succeeded() {
        return "SUCCEEDED".equals(status) && objective != null;
    }
}
