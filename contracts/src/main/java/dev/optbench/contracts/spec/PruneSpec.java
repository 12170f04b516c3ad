package dev.optbench.contracts.spec;

/**
 * Drops whole transformer blocks from a GGUF model.
 *
 * @param dropLayers how many blocks to remove
 * @param from       {@code end} or {@code middle}
 */
public record PruneSpec(Integer dropLayers, String from) {
}
