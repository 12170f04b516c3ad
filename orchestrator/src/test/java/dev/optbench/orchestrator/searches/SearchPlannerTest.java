package dev.optbench.orchestrator.searches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.search.SearchConstraints;
import dev.optbench.contracts.search.SearchObjective;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.FlagAxis;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.SearchArtifact;
import dev.optbench.orchestrator.searches.strategy.GaussianProcess;
import dev.optbench.orchestrator.searches.strategy.Observation;
import dev.optbench.orchestrator.searches.strategy.SearchPlanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The planner's decisions against objective functions whose best point is known: it must find the best
 * configuration that meets the constraints in far fewer trials than the grid, and never propose one on an
 * artifact that broke a quality constraint.
 */
class SearchPlannerTest {

    private static PlannedSearch space(int trialBudget) {
        List<SearchArtifact> artifacts = List.of(new SearchArtifact(0, "synthetic:tiny", "F16", 0),
                new SearchArtifact(0, "synthetic:tiny", "Q8_0", 0), new SearchArtifact(0, "synthetic:tiny", "Q4_0", 0),
                new SearchArtifact(0, "synthetic:tiny", null, 2));
        List<FlagAxis> axes = List.of(new FlagAxis("--flash-attn", List.of("on", "off"), false),
                new FlagAxis("--threads", List.of(1, 2), true), new FlagAxis("--cache-type-k", List.of("f16", "q8_0"), false));
        return new PlannedSearch("test", "cpu", null, List.of("synthetic:tiny"), artifacts, axes, new LinkedHashMap<>(),
                SearchObjective.MAX_GENERATION_TOKENS_PER_SECOND, new SearchConstraints(null, 2e-4, null, null, null), trialBudget, null,
                null, null, 2, 2, 4, null, "builtin:sample-text", 42);
    }

    /** tok/s that depends on the artifact, flash attention and threads, with an interaction and a flag that does nothing. */
    private static double speed(SearchConfig c) {
        double artifact = switch (c.artifactLabel()) {
            case "synthetic:tiny F16" -> 300;
            case "synthetic:tiny Q8_0" -> 420;
            case "synthetic:tiny Q4_0" -> 520;
            default -> 560;
        };
        Object fa = c.flags().get("--flash-attn");
        Object threads = c.flags().get("--threads");
        double factor = "on".equals(fa) ? 1.25 : "off".equals(fa) ? 1.0 : 1.1;
        factor *= threads == null ? 0.6 : ((Number) threads).intValue() == 1 ? 1.0 : 0.3;
        if ("on".equals(fa) && threads != null && ((Number) threads).intValue() == 2) {
            factor *= 1.2;
        }
        return artifact * factor;
    }

    private static PerplexityFigures quality(SearchConfig c) {
        double kld = switch (c.artifactLabel()) {
            case "synthetic:tiny F16" -> 0;
            case "synthetic:tiny Q8_0" -> 1e-5;
            case "synthetic:tiny Q4_0" -> 4e-4;
            default -> 0.8;
        };
        return new PerplexityFigures("builtin:sample-text", 100, null, kld == 0 ? null : kld, null, null, 128, 4);
    }

    private static Observation measured(SearchConfig config, String stage, int round, ToDoubleFunction<SearchConfig> objective) {
        return new Observation(UUID.randomUUID(), UUID.randomUUID(), round, stage, config, "SUCCEEDED", objective.applyAsDouble(config),
                objective.applyAsDouble(config), 50.0, 100L << 20, 8L << 30, null, null, null,
                stage.equals(Observation.SCREEN) ? quality(config) : null, 1000.0, objective.applyAsDouble(config) / 1000.0, 3.0);
    }

    @Test
    void findsTheBestConfigurationThatMeetsTheConstraintsWithFewerThanFortyPercentOfTheGridsTrials() {
        PlannedSearch search = space(14);
        SearchPlanner planner = new SearchPlanner(search);
        List<SearchConfig> grid = search.enumerate();
        assertEquals(32, grid.size());
        Map<String, List<String>> violations = Map.of();
        List<Observation> observations = new ArrayList<>();
        planner.screening().forEach(c -> observations.add(measured(c, Observation.SCREEN, 1, SearchPlannerTest::speed)));
        violations = planner.artifactViolations(observations);
        assertEquals(List.of("synthetic:tiny Q4_0", "synthetic:tiny pruned-2-end"), List.copyOf(violations.keySet()));
        int round = 1;
        while (SearchService.exploreLeft(search, observations) > 0) {
            round++;
            List<SearchConfig> proposed = planner.propose(observations, violations,
                    Math.min(search.batchSize(), SearchService.exploreLeft(search, observations)), 42 + round);
            for (SearchConfig config : proposed) {
                assertFalse(violations.containsKey(config.artifactLabel()), "proposed " + config.label() + " on an excluded artifact");
                observations.add(measured(config, Observation.EXPLORE, round, SearchPlannerTest::speed));
            }
        }
        List<SearchConfig> finalists = planner.finalists(observations, violations, search.finalists());
        int spent = observations.size() + search.repetitions() * (finalists.size() + 1);
        SearchConfig bestFeasible = grid.stream().filter(c -> !c.artifactLabel().contains("Q4_0") && !c.artifactLabel().contains("pruned"))
                .max(Comparator.comparingDouble(SearchPlannerTest::speed)).orElseThrow();
        SearchConfig fastest = grid.stream().max(Comparator.comparingDouble(SearchPlannerTest::speed)).orElseThrow();
        double bestFound = finalists.stream().mapToDouble(SearchPlannerTest::speed).max().orElseThrow();
        assertTrue(spent <= 14, "spent " + spent);
        assertTrue(spent <= 0.4 * (grid.size() + search.artifacts().size()), "spent " + spent + " of a grid of 36 trials");
        assertTrue(bestFound >= 0.95 * speed(bestFeasible), "best finalist " + bestFound + " against " + speed(bestFeasible) + " " + finalists);
        assertTrue(violations.containsKey(fastest.artifactLabel()), "the constraint excludes the fastest configuration " + fastest.label());
    }

    @Test
    void theFirstExplorationBatchMeasuresEveryPairOfFlagValuesOnce() {
        PlannedSearch search = space(14);
        SearchPlanner planner = new SearchPlanner(search);
        List<Observation> observations = new ArrayList<>();
        planner.screening().forEach(c -> observations.add(measured(c, Observation.SCREEN, 1, SearchPlannerTest::speed)));
        Map<String, List<String>> onlyF16 = Map.of("synthetic:tiny Q8_0", List.of("KLD"), "synthetic:tiny Q4_0", List.of("KLD"),
                "synthetic:tiny pruned-2-end", List.of("KLD"));
        for (long seed = 0; seed < 50; seed++) {
            List<SearchConfig> batch = planner.propose(observations, onlyF16, 4, seed);
            assertEquals(4, batch.size());
            java.util.Set<String> pairs = new java.util.HashSet<>();
            for (SearchConfig c : batch) {
                assertEquals("synthetic:tiny F16", c.artifactLabel());
                Object fa = c.flags().get("--flash-attn");
                Object threads = c.flags().get("--threads");
                Object k = c.flags().get("--cache-type-k");
                pairs.add("fa=" + fa + " threads=" + threads);
                pairs.add("fa=" + fa + " k=" + k);
                pairs.add("threads=" + threads + " k=" + k);
            }
            assertEquals(12, pairs.size(), "seed " + seed + ": four configurations of three two-valued flags cover every pair: " + batch);
        }
    }

    @Test
    void aDeviceHoursBudgetExploresWhatIsLeftAfterTheFinalRoundsAtTheirEstimatedCost() {
        PlannedSearch base = space(14);
        PlannedSearch timed = new PlannedSearch("t", "cpu", null, base.models(), base.artifacts(), base.axes(), new LinkedHashMap<>(),
                base.objective(), base.constraints(), null, 0.01, null, null, 2, 2, 4, null, "builtin:sample-text", 42);
        List<Observation> screened = new ArrayList<>();
        timed.enumerate().subList(0, 4).forEach(c -> screened.add(measured(c, Observation.SCREEN, 1, SearchPlannerTest::speed)));
        // 36 s budget, 12 s spent (4 × 3 s), finals 2 × 3 trials × 2 × 3 s = 36 s: nothing left to explore.
        assertEquals(0, SearchService.exploreLeft(timed, screened));
        PlannedSearch longer = new PlannedSearch("t", "cpu", null, base.models(), base.artifacts(), base.axes(), new LinkedHashMap<>(),
                base.objective(), base.constraints(), null, 0.03, null, null, 2, 2, 4, null, "builtin:sample-text", 42);
        // 108 s budget: 108 - 12 - 36 = 60 s, 20 short trials of 3 s.
        assertEquals(20, SearchService.exploreLeft(longer, screened));
        assertEquals(14 - 4 - 6, SearchService.exploreLeft(base, screened), "a trial budget sets aside 2 × (2 + 1) final trials");
    }

    @Test
    void aMinimisedObjectiveIsSearchedAsItsNegativeLogarithm() {
        PlannedSearch search = new PlannedSearch("t", "cpu", null, List.of("m.gguf"), List.of(new SearchArtifact(0, "m.gguf", null, 0)),
                List.of(new FlagAxis("--threads", List.of(1, 2, 3, 4), true)), new LinkedHashMap<>(), SearchObjective.MIN_TTFT,
                new SearchConstraints(null, null, null, null, null), 8, null, null, null, 1, 1, 2, null, "builtin:sample-text", 1);
        SearchPlanner planner = new SearchPlanner(search);
        assertTrue(planner.target(10) > planner.target(20));
    }

    @Test
    void aProcessFittedToMeasurementsPredictsThemAndIsUnsureFarFromThem() {
        List<double[]> inputs = List.of(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 1});
        GaussianProcess process = GaussianProcess.fit(inputs, List.of(1.0, 2.0, 3.0));
        assertEquals(2.0, process.predict(new double[] {1, 0}).mean(), 0.4);
        assertTrue(process.predict(new double[] {5, 5}).sd() > process.predict(new double[] {1, 0}).sd());
    }

    @Test
    void aTrialOverTheTtftLimitBreaksItsConstraint() {
        PlannedSearch search = new PlannedSearch("t", "cpu", null, List.of("m.gguf"), List.of(new SearchArtifact(0, "m.gguf", null, 0)),
                List.of(new FlagAxis("--threads", List.of(1, 2), true)), new LinkedHashMap<>(), SearchObjective.MAX_GENERATION_TOKENS_PER_SECOND,
                new SearchConstraints(null, null, null, null, 40.0), 8, null, null, null, 1, 1, 2, null, "builtin:sample-text", 1);
        SearchPlanner planner = new SearchPlanner(search);
        Observation slow = measured(search.enumerate().getFirst(), Observation.EXPLORE, 2, c -> 100);
        assertEquals(1, planner.violations(slow, Map.of()).size());
    }
}
