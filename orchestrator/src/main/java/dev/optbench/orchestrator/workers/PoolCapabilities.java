package dev.optbench.orchestrator.workers;

import java.util.List;

/**
 * What a pool's workers can run, as its most recently seen worker announced it.
 *
 * @param acceptedFlags   the flags its llama-server accepts, or null before any worker of the pool announced any
 *                        (validation then uses the pinned release's catalogue alone)
 * @param downloadsModels whether its workers download {@code hf:} models (they announced a model hub)
 */
public record PoolCapabilities(List<String> acceptedFlags, boolean downloadsModels) {
    /** A pool none of whose workers has announced itself yet. */
    public static final PoolCapabilities UNANNOUNCED = new PoolCapabilities(null, false);

    /** For reading back a spec accepted before: its flags against the catalogue, its model refs as they were checked then. */
    public static final PoolCapabilities OF_AN_ACCEPTED_SPEC = new PoolCapabilities(null, true);
}
