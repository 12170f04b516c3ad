package dev.optbench.worker.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A trial's stop signal: a cancelled run, a worker shutting down, a hung server. Whoever holds a process
 * registers how to stop it; cancelling runs every registered action once.
 */
public final class Cancellation {
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile String reason;
    private volatile boolean abandon;

    /** Cancels with a reason; the trial ends CANCELLED (or FAILED for a hung server) and is published. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        actions.forEach(Runnable::run);
    }

    /** Cancels without publishing anything: the worker is going away and another worker redoes the trial. */
    public void abandon(String why) {
        abandon = true;
        cancel(why);
    }

    public boolean isCancelled() {
        return reason != null;
    }

    public boolean abandoned() {
        return abandon;
    }

    public String reason() {
        return reason;
    }

    /** Runs {@code action} on cancellation, at once when already cancelled; close the result to unregister. */
    public Registration onCancel(Runnable action) {
        actions.add(action);
        if (isCancelled()) {
            action.run();
        }
        return () -> actions.remove(action);
    }

    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
