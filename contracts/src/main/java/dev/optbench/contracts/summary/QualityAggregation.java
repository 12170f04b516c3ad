package dev.optbench.contracts.summary;

import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.stats.Interval;
import dev.optbench.contracts.stats.Rate;
import dev.optbench.contracts.stats.Statistics;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aggregates a trial's scores (or a variant's, by passing all of its trials' scores) into its
 * {@link QualitySummary}. Unparseable verdicts are counted apart and never stand in for a score. A score
 * delivered twice counts once: of several with the same score id the latest ({@code at}) stands, as in storage.
 * The position-disagreement rate is over the pairwise scores whose two orders were both asked and read
 * ({@code positionDisagreement} not null). A trial is degraded when its judge loss rate's interval lies wholly
 * above its win rate's: the judge preferred the baseline's answers more often than chance explains.
 */
public final class QualityAggregation {
    private QualityAggregation() {
    }

    public static QualitySummary of(Collection<Score> given, PerplexityFigures perplexity) {
        Collection<Score> scores = latestPerId(given);
        int wins = 0;
        int ties = 0;
        int losses = 0;
        int disagreements = 0;
        int compared = 0;
        int unparseable = 0;
        int passes = 0;
        int checked = 0;
        double[] grades = scores.stream()
                .filter(s -> s.kind() == ScoreKind.RUBRIC && s.verdict() == Verdict.GRADED && s.grade() != null)
                .mapToDouble(Score::grade).toArray();
        for (Score score : scores) {
            if (score.verdict() == Verdict.UNPARSEABLE) {
                unparseable++;
                continue;
            }
            switch (score.kind()) {
                case PAIRWISE -> {
                    switch (score.verdict()) {
                        case WIN -> wins++;
                        case LOSS -> losses++;
                        default -> ties++;
                    }
                    if (score.positionDisagreement() != null) {
                        compared++;
                        if (score.positionDisagreement()) {
                            disagreements++;
                        }
                    }
                }
                case REFERENCE -> {
                    checked++;
                    if (score.verdict() == Verdict.PASS) {
                        passes++;
                    }
                }
                case RUBRIC -> {
                    // graded above
                }
            }
        }
        int judged = wins + ties + losses;
        Rate win = Statistics.rate(wins, judged);
        Rate loss = Statistics.rate(losses, judged);
        Interval grade = Statistics.mean(grades);
        boolean degraded = win != null && loss != null && loss.low() > win.high();
        return new QualitySummary(win, Statistics.rate(ties, judged), loss, Statistics.rate(disagreements, compared),
                unparseable, grade, Statistics.rate(passes, checked),
                perplexity == null ? null : perplexity.perplexity(),
                perplexity == null ? null : perplexity.klDivergenceMean(),
                perplexity == null ? null : perplexity.sameTopTokenPercent(),
                degraded);
    }

    private static Collection<Score> latestPerId(Collection<Score> scores) {
        Map<Object, Score> latest = new LinkedHashMap<>();
        for (Score score : scores) {
            Object id = score.scoreId() != null ? score.scoreId() : new Object();
            latest.merge(id, score, (kept, other) -> other.at() != null && (kept.at() == null || !other.at().isBefore(kept.at())) ? other : kept);
        }
        return latest.values();
    }
}
