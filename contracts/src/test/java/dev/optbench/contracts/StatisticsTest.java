package dev.optbench.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.stats.Interval;
import dev.optbench.contracts.stats.Rate;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void percentilesInterpolateBetweenRanks() {
        double[] sorted = {10, 20, 30, 40};
        assertEquals(10, Statistics.percentile(sorted, 0));
        assertEquals(25, Statistics.percentile(sorted, 50));
        assertEquals(40, Statistics.percentile(sorted, 100));
        assertEquals(38.5, Statistics.percentile(sorted, 95), 1e-9);
    }

    @Test
    void describeGivesTheMedianAndAnIntervalThatHoldsIt() {
        double[] values = new double[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i;
        }
        Distribution d = Statistics.describe(values);
        assertEquals(101, d.n());
        assertEquals(50, d.p50());
        assertEquals(95, d.p95(), 1e-9);
        assertTrue(d.p50CiLow() < 50 && d.p50CiHigh() > 50, d.toString());
        assertTrue(d.p50CiHigh() - d.p50CiLow() < 25, d.toString());
    }

    @Test
    void tooFewValuesGiveNoMedianInterval() {
        assertNull(Statistics.describe(new double[] {1, 2, 3}).p50CiLow());
        assertNull(Statistics.describe(new double[0]));
    }

    @Test
    void wilsonIntervalStaysInsideZeroAndOne() {
        Rate none = Statistics.rate(0, 10);
        assertEquals(0, none.low());
        assertTrue(none.high() > 0.2 && none.high() < 0.35, none.toString());
        Rate all = Statistics.rate(10, 10);
        assertEquals(1, all.high());
        assertTrue(all.low() > 0.65 && all.low() < 0.8, all.toString());
    }

    @Test
    void meanIntervalWidensWithSpread() {
        Interval tight = Statistics.mean(new double[] {10, 10.1, 9.9, 10});
        Interval wide = Statistics.mean(new double[] {5, 15, 8, 12});
        assertEquals(10, tight.estimate(), 1e-9);
        assertTrue(wide.high() - wide.low() > tight.high() - tight.low());
    }

    @Test
    void slopeOfALineIsItsGradient() {
        assertEquals(2.0, Statistics.slope(new double[] {0, 1, 2, 3}, new double[] {1, 3, 5, 7}), 1e-9);
        assertNull(Statistics.slope(new double[] {1, 1}, new double[] {1, 2}));
    }

    @Test
    void changeIsBetterByTheMetricsDirection() {
        assertTrue(Change.of(Metric.GENERATION_TOKENS_PER_SECOND, 100.0, 120.0).better());
        assertEquals(20.0, Change.of(Metric.GENERATION_TOKENS_PER_SECOND, 100.0, 120.0).percent(), 1e-9);
        assertTrue(!Change.of(Metric.LATENCY_P50, 100.0, 120.0).better());
        assertNull(Change.of(Metric.LATENCY_P50, 0.0, 120.0));
    }
}
