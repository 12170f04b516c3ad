package dev.optbench.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.summary.QualityAggregation;
import dev.optbench.contracts.summary.QualitySummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QualityAggregationTest {

    private static Score score(ScoreKind kind, Verdict verdict, Double grade, Boolean disagreement) {
        UUID sample = UUID.randomUUID();
        return new Score(SchemaVersion.CURRENT, Score.idOf(sample, kind), UUID.randomUUID(), UUID.randomUUID(), sample,
                kind, verdict, grade, disagreement, "judge", "v1", List.of("raw"), Instant.now());
    }

    @Test
    void countsPairwiseVerdictsAndLeavesUnparseableOut() {
        List<Score> scores = new ArrayList<>();
        scores.add(score(ScoreKind.PAIRWISE, Verdict.WIN, null, false));
        scores.add(score(ScoreKind.PAIRWISE, Verdict.TIE, null, true));
        scores.add(score(ScoreKind.PAIRWISE, Verdict.LOSS, null, false));
        scores.add(score(ScoreKind.PAIRWISE, Verdict.UNPARSEABLE, null, null));
        QualitySummary quality = QualityAggregation.of(scores, null);
        assertEquals(3, quality.judgeWin().n());
        assertEquals(1, quality.judgeWin().count());
        assertEquals(1, quality.positionDisagreement().count());
        assertEquals(1, quality.unparseable());
        assertFalse(quality.degraded());
    }

    @Test
    void aTrialThatLosesClearlyIsDegraded() {
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            scores.add(score(ScoreKind.PAIRWISE, i < 25 ? Verdict.LOSS : Verdict.WIN, null, false));
        }
        assertTrue(QualityAggregation.of(scores, null).degraded());
    }

    @Test
    void gradesReferenceChecksAndPerplexityAreCarried() {
        List<Score> scores = List.of(score(ScoreKind.RUBRIC, Verdict.GRADED, 6.0, null), score(ScoreKind.RUBRIC, Verdict.GRADED, 8.0, null),
                score(ScoreKind.REFERENCE, Verdict.PASS, null, null), score(ScoreKind.REFERENCE, Verdict.FAIL, null, null));
        QualitySummary quality = QualityAggregation.of(scores, new PerplexityFigures("builtin:sample-text", 12.5, 0.3, 0.01, 0.2, 97.0, 128, 10));
        assertEquals(7.0, quality.rubricGrade().estimate(), 1e-9);
        assertEquals(0.5, quality.referenceAccuracy().rate(), 1e-9);
        assertEquals(12.5, quality.perplexity());
        assertEquals(0.01, quality.klDivergenceMean());
        assertNull(quality.judgeWin());
    }

    private static Score at(Score score, UUID sampleId, Verdict verdict, Instant when) {
        return new Score(score.schemaVersion(), Score.idOf(sampleId, score.kind()), score.runId(), score.trialId(), sampleId, score.kind(),
                verdict, score.grade(), score.positionDisagreement(), score.judgeModel(), score.promptVersion(), score.rawReplies(), when);
    }

    @Test
    void aScoreDeliveredTwiceCountsOnceAndTheLatestStands() {
        UUID sample = UUID.randomUUID();
        Score template = score(ScoreKind.PAIRWISE, Verdict.LOSS, null, false);
        Instant first = Instant.parse("2025-01-01T00:00:00Z");
        List<Score> scores = List.of(at(template, sample, Verdict.LOSS, first), at(template, sample, Verdict.WIN, first.plusSeconds(5)),
                at(template, sample, Verdict.LOSS, first.plusSeconds(1)), score(ScoreKind.PAIRWISE, Verdict.TIE, null, false));
        QualitySummary quality = QualityAggregation.of(scores, null);
        assertEquals(2, quality.judgeWin().n());
        assertEquals(1, quality.judgeWin().count());
        assertEquals(0, quality.judgeLoss().count());
    }

    @Test
    void positionDisagreementIsOverPairsWhoseTwoOrdersWereCompared() {
        List<Score> scores = List.of(score(ScoreKind.PAIRWISE, Verdict.TIE, null, true), score(ScoreKind.PAIRWISE, Verdict.WIN, null, false),
                score(ScoreKind.PAIRWISE, Verdict.TIE, null, null), score(ScoreKind.PAIRWISE, Verdict.TIE, null, null));
        QualitySummary quality = QualityAggregation.of(scores, null);
        assertEquals(4, quality.judgeTie().n(), "identical answers still count as ties");
        assertEquals(2, quality.positionDisagreement().n());
        assertEquals(0.5, quality.positionDisagreement().rate(), 1e-9);
    }

    @Test
    void winAndLossRatesCarryWilsonIntervals() {
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            scores.add(score(ScoreKind.PAIRWISE, i < 4 ? Verdict.WIN : i < 10 ? Verdict.LOSS : Verdict.TIE, null, false));
        }
        QualitySummary quality = QualityAggregation.of(scores, null);
        // 4 of 20: Wilson 95 % interval 0.0807 to 0.4160.
        assertEquals(0.2, quality.judgeWin().rate(), 1e-9);
        assertEquals(0.0807, quality.judgeWin().low(), 5e-4);
        assertEquals(0.4160, quality.judgeWin().high(), 5e-4);
        assertFalse(quality.degraded(), "6 losses against 4 wins of 20 is within chance");
    }

    @Test
    void theMeanGradeHasATInterval() {
        List<Score> scores = List.of(score(ScoreKind.RUBRIC, Verdict.GRADED, 4.0, null), score(ScoreKind.RUBRIC, Verdict.GRADED, 6.0, null),
                score(ScoreKind.RUBRIC, Verdict.GRADED, 8.0, null), score(ScoreKind.RUBRIC, Verdict.UNPARSEABLE, null, null));
        QualitySummary quality = QualityAggregation.of(scores, null);
        assertEquals(6.0, quality.rubricGrade().estimate(), 1e-9);
        // mean 6, s = 2, n = 3: 6 ± 4.303 · 2 / √3
        assertEquals(6.0 - 4.303 * 2 / Math.sqrt(3), quality.rubricGrade().low(), 1e-6);
        assertEquals(1, quality.unparseable());
    }
}
