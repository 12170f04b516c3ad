package dev.optbench.orchestrator.searches.spec;

import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.search.SearchConstraints;
import dev.optbench.contracts.search.SearchObjective;
import dev.optbench.contracts.search.SearchSpec;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.contracts.spec.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A validated search: its space as artifacts and flag axes, defaults applied. Everything the planner needs; it is
 * read again from the stored spec at every round, so the same spec always plans the same way.
 *
 * @param artifacts  every artifact of the space, model by model; the first is the baseline's
 * @param trialBudget the trial budget, null when only device-hours bound the search
 */
public record PlannedSearch(
        String name,
        String pool,
        SearchSpec spec,
        List<String> models,
        List<SearchArtifact> artifacts,
        List<FlagAxis> axes,
        LinkedHashMap<String, Object> baselineFlags,
        SearchObjective objective,
        SearchConstraints constraints,
        Integer trialBudget,
        Double deviceHoursBudget,
        WorkloadSpec workload,
        WorkloadSpec screeningWorkload,
        int finalists,
        int repetitions,
        int batchSize,
        JudgeModelSpec judgeModel,
        String perplexityCorpus,
        long seed) {

    /** One model artifact of the space: a quantization of the model, or the model file with blocks dropped. */
    public record SearchArtifact(int modelIndex, String model, String quantization, int pruneLayers) {

        public String label() {
            return new SearchConfig(model, quantization, pruneLayers, new LinkedHashMap<>()).artifactLabel();
        }

        public SearchConfig with(LinkedHashMap<String, Object> flags) {
            return new SearchConfig(model, quantization, pruneLayers, flags);
        }
    }

    /**
     * One flag's values.
     *
     * @param numeric every value is a number, so the proposer treats the axis as ordered
     */
    public record FlagAxis(String flag, List<Object> values, boolean numeric) {
    }

    public SearchArtifact baselineArtifact() {
        return artifacts.getFirst();
    }

    public SearchConfig baselineConfig() {
        return baselineArtifact().with(new LinkedHashMap<>(baselineFlags));
    }

    /** How many configurations the space holds. */
    public long spaceSize() {
        long size = artifacts.size();
        for (FlagAxis axis : axes) {
            size *= axis.values().size();
        }
        return size;
    }

    /** Every configuration, artifact by artifact; only for spaces small enough to list. */
    public List<SearchConfig> enumerate() {
        List<SearchConfig> all = new ArrayList<>();
        for (SearchArtifact artifact : artifacts) {
            expand(artifact, 0, new LinkedHashMap<>(), all);
        }
        return all;
    }

    private void expand(SearchArtifact artifact, int depth, LinkedHashMap<String, Object> chosen, List<SearchConfig> out) {
        if (depth == axes.size()) {
            out.add(artifact.with(new LinkedHashMap<>(chosen)));
            return;
        }
        FlagAxis axis = axes.get(depth);
        for (Object value : axis.values()) {
            chosen.put(axis.flag(), value);
            expand(artifact, depth + 1, chosen, out);
        }
        chosen.remove(axis.flag());
    }

    /** The artifact a configuration runs on. */
    public SearchArtifact artifactOf(SearchConfig config) {
        return artifacts.stream().filter(a -> a.label().equals(config.artifactLabel())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no artifact " + config.artifactLabel() + " in the space"));
    }
}
