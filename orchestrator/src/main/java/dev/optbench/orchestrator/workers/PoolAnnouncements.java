package dev.optbench.orchestrator.workers;

import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.orchestrator.storage.StoredJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The flags a pool's llama-server accepts: those the pool's most recently seen worker announced. Before any worker
 * of the pool has announced itself there are none, and validation uses the pinned release's catalogue alone.
 */
@ApplicationScoped
public class PoolFlags {

    /** The announced flags, or null when no worker of the pool has announced any. */
    public List<String> acceptedBy(String pool) {
        return WorkerEntity.latestOfPool(pool)
                .map(worker -> StoredJson.read(worker.capabilities, WorkerCapabilities.class).acceptedFlags())
                .filter(flags -> flags != null && !flags.isEmpty())
                .orElse(null);
    }
}
