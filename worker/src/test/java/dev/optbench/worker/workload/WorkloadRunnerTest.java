package dev.optbench.worker.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadRunnerTest {
    private static final long MS = 1_000_000;

    @Test
    void requestTimeCountsOverlappingRequestsOnce() {
        assertEquals(0, WorkloadRunner.unionMillis(List.of()));
        assertEquals(10, WorkloadRunner.unionMillis(List.<long[]>of(new long[] {0, 10 * MS})));
        assertEquals(15, WorkloadRunner.unionMillis(List.of(new long[] {0, 10 * MS}, new long[] {5 * MS, 15 * MS})));
        assertEquals(20, WorkloadRunner.unionMillis(List.of(new long[] {20 * MS, 30 * MS}, new long[] {0, 10 * MS})));
    }

    @Test
    void generationRateCountsTheTokensAfterTheFirstOverTheFirstToLastSpan() {
        StreamedCompletion completion = new StreamedCompletion(0, List.of(10 * MS, 20 * MS, 30 * MS, 40 * MS, 50 * MS), 60 * MS,
                "answer", "length", 12, 5, 0, new ServerTimings(0, 12, 3.0, 4000.0, 5, 40.0, 100.0, null, null), null);
        var sample = WorkloadRunner.sample(java.util.UUID.randomUUID(), "c", 0, 0, 1, "p", completion);
        assertEquals(100.0, sample.generationTokensPerSecond(), 1e-9, "4 tokens in 40 ms");
        assertEquals(10.0, sample.ttftMillis(), 1e-9);
        assertEquals(60.0, sample.latencyMillis(), 1e-9);
        assertEquals(10.0, sample.interTokenMillisMean(), 1e-9);
        assertEquals(100.0, sample.serverGenerationTokensPerSecond(), 1e-9);
    }
}
