package dev.optbench.orchestrator.summaries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.summaries.TrialSummaryCalculator.TrialFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrialSummaryCalculatorTest {

    private static Sample sample(int round, double latency, double generationTokensPerSecond, String error) {
        return new Sample(UUID.randomUUID(), "c", round, 0, 1, null, 10 + round * 20, 16, 0, latency / 4, latency, 5.0, null,
                generationTokensPerSecond, null, 800.0, null, generationTokensPerSecond, null, null, "stop", "p", "a", error);
    }

    private static TrialFacts facts(UUID reference) {
        return new TrialFacts(UUID.randomUUID(), UUID.randomUUID(), "v", reference == null, UUID.randomUUID(), "synthetic:tiny",
                "v", "SUCCEEDED", null, reference, 1200L, null, 512L * 1024 * 1024, null, 42L * 1024 * 1024, null);
    }

    @Test
    void mediansLeaveFailedRequestsOutAndRoundsGiveTheLatencySlope() {
        List<Sample> samples = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            samples.add(sample(round, 100 + 10 * round, 50, null));
            samples.add(sample(round, 100 + 10 * round, 50, null));
        }
        samples.add(sample(0, 99_999, 1, "timeout"));
        TrialSummary summary = TrialSummaryCalculator.summarise(facts(null), samples, List.of(), null);
        assertEquals(8, summary.samples());
        assertEquals(115.0, summary.figure(Metric.LATENCY_P50), 1e-9);
        assertEquals(50.0, summary.figure(Metric.GENERATION_TOKENS_PER_SECOND), 1e-9);
        assertEquals(4, summary.rounds().size());
        assertEquals(10.0, summary.roundLatencySlopeMillis(), 1e-9);
        assertEquals(512.0, summary.figure(Metric.PEAK_RSS_MB), 1e-9);
        assertNull(summary.quality());
        assertTrue(summary.changeVsBaseline().isEmpty());
    }

    @Test
    void marksChangesBetterOrWorseByTheMetricsDirection() {
        List<Sample> samples = List.of(sample(0, 80, 60, null), sample(0, 80, 60, null));
        Map<String, Double> reference = Map.of(Metric.LATENCY_P50.key, 100.0, Metric.GENERATION_TOKENS_PER_SECOND.key, 50.0,
                Metric.MODEL_SIZE_MB.key, 21.0);
        TrialSummary summary = TrialSummaryCalculator.summarise(facts(UUID.randomUUID()), samples, List.of(), reference);
        var latency = summary.changeVsBaseline().get(Metric.LATENCY_P50.key);
        assertEquals(-20.0, latency.percent(), 1e-9);
        assertTrue(latency.better());
        var generation = summary.changeVsBaseline().get(Metric.GENERATION_TOKENS_PER_SECOND.key);
        assertEquals(20.0, generation.percent(), 1e-9);
        assertTrue(generation.better());
        var size = summary.changeVsBaseline().get(Metric.MODEL_SIZE_MB.key);
        assertEquals(100.0, size.percent(), 1e-9);
        assertFalse(size.better());
    }

    @Test
    void theTailsOfLatencyAndTtftAreComparedWithTheBaselineToo() {
        List<Sample> samples = List.of(sample(0, 80, 60, null), sample(0, 80, 60, null));
        TrialSummary own = TrialSummaryCalculator.summarise(facts(UUID.randomUUID()), samples, List.of(), null);
        Map<String, Double> reference = Map.of(Metric.LATENCY_P99.key, own.figure(Metric.LATENCY_P99) / 2,
                Metric.TTFT_P95.key, own.figure(Metric.TTFT_P95) * 2);
        TrialSummary summary = TrialSummaryCalculator.summarise(facts(UUID.randomUUID()), samples, List.of(), reference);
        assertEquals(summary.latencyMillis().p99(), summary.figure(Metric.LATENCY_P99), 1e-9);
        assertEquals(summary.ttftMillis().p95(), summary.figure(Metric.TTFT_P95), 1e-9);
        assertEquals(100.0, summary.changeVsBaseline().get(Metric.LATENCY_P99.key).percent(), 1e-9);
        assertFalse(summary.changeVsBaseline().get(Metric.LATENCY_P99.key).better());
        assertEquals(-50.0, summary.changeVsBaseline().get(Metric.TTFT_P95.key).percent(), 1e-9);
        assertTrue(summary.changeVsBaseline().get(Metric.TTFT_P95.key).better());
    }

    @Test
    void qualityComesFromScoresAndUpdatesTheChanges() {
        UUID trial = UUID.randomUUID();
        List<Score> scores = List.of(
                new Score(1, null, null, trial, null, ScoreKind.PAIRWISE, Verdict.LOSS, null, false, null, null, null, null),
                new Score(1, null, null, trial, null, ScoreKind.RUBRIC, Verdict.GRADED, 6.0, null, null, null, null, null),
                new Score(1, null, null, trial, null, ScoreKind.REFERENCE, Verdict.PASS, null, null, null, null, null, null));
        TrialSummary summary = TrialSummaryCalculator.summarise(facts(UUID.randomUUID()), List.of(sample(0, 100, 50, null)), scores,
                Map.of(Metric.RUBRIC_GRADE.key, 8.0));
        assertEquals(100.0, summary.figure(Metric.JUDGE_LOSS_RATE), 1e-9);
        assertEquals(100.0, summary.figure(Metric.REFERENCE_ACCURACY), 1e-9);
        assertEquals(-25.0, summary.changeVsBaseline().get(Metric.RUBRIC_GRADE.key).percent(), 1e-9);
        assertFalse(summary.changeVsBaseline().get(Metric.RUBRIC_GRADE.key).better());
    }

    @Test
    void aTrialWithoutSamplesStillGetsASummary() {
        TrialSummary summary = TrialSummaryCalculator.summarise(facts(UUID.randomUUID()), List.of(), List.of(), Map.of(Metric.LATENCY_P50.key, 1.0));
        assertEquals(0, summary.samples());
        assertNull(summary.latencyMillis());
        assertNull(summary.figure(Metric.GENERATION_TOKENS_PER_SECOND));
        assertNull(summary.roundLatencySlopeMillis());
        assertEquals(1200.0, summary.figure(Metric.LOAD_MILLIS), 1e-9);
    }
}
