package dev.optbench.orchestrator.runs.spec;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.contracts.spec.RunSpec;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A run spec after validation, with defaults applied, the sweep expanded and the prompts resolved: everything
 * needed to store the run and its trials. Variants come baseline first.
 */
public record PlannedRun(
        String name,
        String pool,
        RunSpec spec,
        List<PlannedVariant> variants,
        List<PlannedArtifact> artifacts,
        Workload workload,
        boolean judge,
        JudgeModelSpec judgeModel,
        String perplexityCorpus) {

    public int trialCount() {
        return variants.size() * artifacts.size();
    }

    /**
     * @param sweepValues the axis values of a sweep's point, null for a listed variant
     */
    public record PlannedVariant(String name, boolean baseline, List<Flag> flags, LinkedHashMap<String, Object> sweepValues) {
    }

    /**
     * @param modelIndex the entry of the spec's models list it comes from
     */
    public record PlannedArtifact(int modelIndex, String modelRef, String quantization, int pruneLayers, String pruneFrom) {

        public String label() {
            StringBuilder label = new StringBuilder(modelRef);
            if (quantization != null) {
                label.append(' ').append(quantization);
            }
            if (pruneLayers > 0) {
                label.append(" pruned-").append(pruneLayers).append('-').append(pruneFrom);
            }
            return label.toString();
        }
    }
}
