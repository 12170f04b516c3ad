package dev.optbench.orchestrator.searches;

import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.orchestrator.searches.strategy.Observation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a search stands, stored as JSON and rewritten after every round.
 *
 * @param phase        {@code SCREEN}, {@code EXPLORE}, {@code FINAL} or {@code DONE}
 * @param runs         every run it submitted, with the configuration of each of its trials
 * @param finalists    the configurations measured on the full workload, chosen when exploration ended
 * @param waitingSince when the open round's runs ended while their judge scores were still missing
 */
public record SearchState(
        String phase,
        int round,
        List<RoundRun> runs,
        List<Observation> observations,
        List<SearchConfig> finalists,
        Instant waitingSince) {

    public static final String SCREEN = "SCREEN";
    public static final String EXPLORE = "EXPLORE";
    public static final String FINAL = "FINAL";
    public static final String DONE = "DONE";

    /**
     * One run of a round.
     *
     * @param trials  "variant name \t artifact label" to the configuration that trial measures
     * @param evaluated its trials are in {@code observations}
     */
    public record RoundRun(UUID runId, int round, String stage, Map<String, SearchConfig> trials, boolean evaluated) {

        public static String trialKey(String variantName, String artifactLabel) {
            return variantName + "\t" + artifactLabel;
        }
    }

    public List<RoundRun> open() {
        return runs.stream().filter(r -> !r.evaluated()).toList();
    }
}
