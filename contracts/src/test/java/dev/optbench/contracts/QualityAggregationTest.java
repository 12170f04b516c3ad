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
}
