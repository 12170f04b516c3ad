package dev.optbench.worker.jobs;

import dev.optbench.worker.server.Cancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this worker knows to be cancelled, and the trial it runs now: a cancellation that arrives
 * mid-trial stops that trial's server at once; one that arrived earlier stops the trial before it starts.
 */
@ApplicationScoped
public class CancelledRuns {
    private final Map<UUID, Boolean> cancelled = new ConcurrentHashMap<>();
    private volatile UUID currentRun;
    private volatile Cancellation current;

    public void cancel(UUID runId) {
        cancelled.put(runId, Boolean.TRUE);
        Cancellation running = current;
        if (running != null && runId.equals(currentRun)) {
            running.cancel("the run was cancelled");
        }
    }

    public boolean isCancelled(UUID runId) {
        return cancelled.containsKey(runId);
    }

    /** Starts tracking a trial of {@code runId}; returns its cancellation, already cancelled when the run is. */
    public Cancellation begin(UUID runId) {
        Cancellation cancellation = new Cancellation();
        currentRun = runId;
        current = cancellation;
        if (isCancelled(runId)) {
            cancellation.cancel("the run was cancelled");
        }
        return cancellation;
    }

    public void end() {
        current = null;
        currentRun = null;
    }

    /** The running trial's cancellation, or null between trials. */
    public Cancellation current() {
        return current;
    }
}
