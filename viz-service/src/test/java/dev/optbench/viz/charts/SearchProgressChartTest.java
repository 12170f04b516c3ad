package dev.optbench.viz.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.search.SearchResult;
import dev.optbench.contracts.search.SearchResult.ProgressPoint;
import dev.optbench.contracts.search.SearchResult.SearchTrial;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SearchProgressChartTest {

    private static SearchTrial trial(int index, String stage, String config, Double objective, boolean feasible) {
        return new SearchTrial(index, UUID.randomUUID(), UUID.randomUUID(), stage, config, "SUCCEEDED", objective, objective, 800.0,
                objective / 800.0, feasible, feasible ? List.of() : List.of("mean KL divergence 0.2 > 0.001"));
    }

    @Test
    void drawsEachTrialAndTheBestFeasibleSoFarAndWritesTheSameFigures() {
        List<SearchTrial> trials = List.of(trial(1, "screen", "(no flags) · m F16", 300.0, true),
                trial(2, "screen", "(no flags) · m Q4_0", 900.0, false), trial(3, "explore", "--threads=1 · m F16", 420.0, true));
        List<ProgressPoint> progress = List.of(new ProgressPoint(1, null, null, 300.0, true), new ProgressPoint(2, null, null, 900.0, false),
                new ProgressPoint(3, 420.0, "--threads=1 · m F16", 420.0, true));
        SearchResult result = new SearchResult("maxGenerationTokensPerSecond", "Generation (tok/s)", true, 3, 10, 12.0, null, 24,
                trials, progress, List.of("m Q4_0: mean KL divergence 0.2 > 0.001"), null, List.of());
        Figure figure = SearchProgressChart.build("search", result);
        assertEquals(3, figure.data().size());
        List<Map<String, Object>> rows = figure.data().records();
        assertEquals(false, rows.get(1).get("feasible"));
        assertEquals(420.0, rows.get(2).get("bestSoFar"));
        assertTrue(FigureWriter.png(figure, 96).length > 1000, "a PNG");
        assertTrue(FigureWriter.svg(figure).contains("Search progress"));
    }
}
