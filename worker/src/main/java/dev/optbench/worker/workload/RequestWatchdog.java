package dev.optbench.worker.workload;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices a hung server: a request that receives nothing for the idle timeout fires {@code onHung} once
 * (the trial stops the server, which ends every blocked read).
 */
public final class RequestWatchdog implements AutoCloseable {
    private final Duration idleTimeout;
    private final Runnable onHung;
    private final Set<Activity> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile boolean fired;

    public RequestWatchdog(Duration idleTimeout, Runnable onHung) {
        this.idleTimeout = idleTimeout;
        this.onHung = onHung;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "optbench-request-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** A request in flight; {@link #touch()} on every byte received, {@link #close()} when done. */
    public final class Activity implements AutoCloseable {
        private volatile long lastNanos = System.nanoTime();

        public void touch() {
            lastNanos = System.nanoTime();
        }

        @Override
        public void close() {
            active.remove(this);
        }
    }

    public Activity start() {
        Activity activity = new Activity();
        active.add(activity);
        return activity;
    }

    /** Whether a request timed out. */
    public boolean fired() {
        return fired;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    private void check() {
        long now = System.nanoTime();
        for (Activity activity : active) {
            if (!fired && now - activity.lastNanos > idleTimeout.toNanos()) {
                fired = true;
                onHung.run();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
