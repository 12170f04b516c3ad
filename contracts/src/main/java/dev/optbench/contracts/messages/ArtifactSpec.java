package dev.optbench.contracts.messages;

import java.util.UUID;

/**
 * Which model file a trial runs: a base model, optionally quantized or pruned by the worker.
 *
 * @param artifactId   the stored artifact's id
 * @param modelRef     as in the run spec: a file under the models directory, {@code synthetic:tiny}, {@code hf:...}
 * @param quantization a llama-quantize type, or null to use the base file as it is
 * @param pruneLayers  how many blocks to drop, or 0
 * @param pruneFrom    {@code end} or {@code middle} when {@code pruneLayers > 0}
 */
public record ArtifactSpec(UUID artifactId, String modelRef, String quantization, int pruneLayers, String pruneFrom) {

    /** A readable label, also the artifact's name in charts: {@code synthetic:tiny Q4_K_M}. */
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
