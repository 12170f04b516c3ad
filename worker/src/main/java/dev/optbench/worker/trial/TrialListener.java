package dev.optbench.worker.trial;

import dev.optbench.contracts.messages.TrialProgress;

/**
 * Hears a running trial's progress; the worker publishes it on {@code bench.events}.
 */
@FunctionalInterface
public interface TrialListener {
    void progress(TrialProgress progress);

    /** Called once the server is healthy, with its process id. */
    default void serverStarted(long pid) {
    }
}
