package dev.optbench.worker.quality;

import java.nio.file.Path;

/**
 * A perplexity corpus as a file on disk, with the hash that keys its base logits.
 *
 * @param name as the run spec names it: {@code builtin:sample-text} or a path under the models directory
 */
public record Corpus(String name, Path file, String sha256) {
}
