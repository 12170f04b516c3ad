package dev.optbench.judge.scoring;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets waits (backoff, idle trials) end at once when the service stops, instead of holding its shutdown.
 */
@ApplicationScoped
public class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void stop() {
        stopped.countDown();
    }

    public boolean stopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Takes a permit, waiting as long as none is free.
     *
     * @throws JudgingStoppedException when the service stops meanwhile
     */
    public void acquire(Semaphore permits, String waitingFor) {
        try {
            while (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (stopped()) {
                    throw new JudgingStoppedException("stopping while waiting for " + waitingFor);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgingStoppedException("interrupted while waiting for " + waitingFor);
        }
    }

    /**
     * Waits for the given time.
     *
     * @throws JudgingStoppedException when the service stops meanwhile
     */
    public void pause(Duration duration, String waitingFor) {
        try {
            if (stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new JudgingStoppedException("stopping while waiting for " + waitingFor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgingStoppedException("interrupted while waiting for " + waitingFor);
        }
    }
}
