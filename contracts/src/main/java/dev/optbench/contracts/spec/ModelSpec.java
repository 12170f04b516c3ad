package dev.optbench.contracts.spec;

import java.util.List;

/**
 * A model and the artifacts to make from it.
 *
 * @param ref           a file under the models directory, {@code synthetic:tiny}, or {@code hf:<repo>[:<quant>]}
 * @param quantizations llama-quantize types, one artifact each ({@code F16} keeps the base file)
 * @param prune         a layer-pruned artifact, or null
 */
public record ModelSpec(String ref, List<String> quantizations, PruneSpec prune) {
}
