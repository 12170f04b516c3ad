package dev.optbench.orchestrator.workers;

import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.orchestrator.storage.StoredJson;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What each pool's workers can run: what the pool's most recently seen worker announced.
 */
@ApplicationScoped
public class PoolAnnouncements {

    /** The pool's capabilities, {@link PoolCapabilities#UNANNOUNCED} for a null pool or one no worker announced. */
    public PoolCapabilities of(String pool) {
        if (pool == null || pool.isBlank()) {
            return PoolCapabilities.UNANNOUNCED;
        }
        return WorkerEntity.latestOfPool(pool)
                .map(worker -> StoredJson.read(worker.capabilities, WorkerCapabilities.class))
                .map(announced -> new PoolCapabilities(
                        announced.acceptedFlags() == null || announced.acceptedFlags().isEmpty() ? null : announced.acceptedFlags(),
                        announced.modelHub() != null))
                .orElse(PoolCapabilities.UNANNOUNCED);
    }
}
