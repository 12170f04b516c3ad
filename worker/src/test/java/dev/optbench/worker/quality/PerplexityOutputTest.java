package dev.optbench.worker.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.optbench.contracts.messages.PerplexityFigures;
import org.junit.jupiter.api.Test;

/** The figures as llama-perplexity prints them (lines copied from a run of the pinned build). */
class PerplexityOutputTest {

    @Test
    void readsThePlainRunsFinalEstimate() {
        PerplexityFigures figures = PerplexityOutput.plain("builtin:sample-text", """
                0.00.740.407 I perplexity: calculating perplexity over 4 chunks, n_ctx=128, batch_size=2048, n_seq=16
                [1]45.86,[2]31.69,[3]61.09,[4]50.04,
                0.01.372.594 I Final estimate: PPL = 50.0435 +/- 4.99311
                """);
        assertEquals(new PerplexityFigures("builtin:sample-text", 50.0435, 4.99311, null, null, null, 128, 4), figures);
    }

    @Test
    void readsTheKlDivergenceStatistics() {
        PerplexityFigures figures = PerplexityOutput.klDivergence("c.txt", """
                0.00.589.612 I kl_divergence: computing over 4 chunks, n_ctx=128, batch_size=2048, n_seq=16
                ====== Perplexity statistics ======
                Mean PPL(Q)                   : 7338.688845 ± 733.093692
                Mean PPL(base)                : 12454.291140 ± 251.530415
                ====== KL divergence statistics ======
                Mean    KLD:   0.308992 ±   0.023921
                Maximum KLD:   1.462727
                99.9%   KLD:   1.451335
                99.0%   KLD:   1.407151
                Median  KLD:   0.113329
                Same top p: 76.984 ± 2.657 %
                """);
        assertEquals(new PerplexityFigures("c.txt", 7338.688845, 733.093692, 0.308992, 1.407151, 76.984, 128, 4), figures);
    }

    @Test
    void aLogWithoutFiguresGivesNone() {
        assertNull(PerplexityOutput.plain("x", "perplexity: you need at least 256 tokens to evaluate perplexity with a context of 128"));
        assertNull(PerplexityOutput.klDivergence("x", "error"));
    }
}
