package dev.optbench.contracts.summary;

import dev.optbench.contracts.stats.Interval;
import dev.optbench.contracts.stats.Rate;

/**
 * A trial's answer quality. Judge rates are against the baseline's answers to the same prompts; a verdict
 * counts only when both orders agreed, otherwise it is a tie. {@code degraded} is set when the loss rate's
 * interval lies wholly above the win rate's.
 */
public record QualitySummary(
        Rate judgeWin,
        Rate judgeTie,
        Rate judgeLoss,
        Rate positionDisagreement,
        int unparseable,
        Interval rubricGrade,
        Rate referenceAccuracy,
        Double perplexity,
        Double klDivergenceMean,
        Double sameTopTokenPercent,
        boolean degraded) {
}
