package dev.optbench.judge.consume;

import dev.optbench.judge.config.JudgeConfig;
import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.scoring.EndpointBackoff;
import dev.optbench.judge.scoring.JudgeMetrics;
import dev.optbench.judge.scoring.StopSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Judge requests set aside while their judge endpoint does not answer. They stay unacknowledged, so a restart
 * judges them again, but hold no consumer thread, so requests for other endpoints go on being judged. One thread
 * tries each again once its endpoint may be asked ({@link EndpointBackoff}), oldest first; at most
 * {@code retry.max-set-aside} wait at once, and beyond that the consumer waits for room.
 */
@ApplicationScoped
public class PendingRequests {
    private static final Logger LOG = Logger.getLogger(PendingRequests.class);
    private static final long LONGEST_SLEEP_MILLIS = 1000;

    /** One more try at a set-aside request: true when it is done (scored, dead-lettered or left for the next start), false when it waits again. */
    @FunctionalInterface
    public interface Attempt {
        boolean run();
    }

    private record Next(JudgeEndpoint endpoint, Attempt attempt) {
    }

    private final EndpointBackoff backoff;
    private final StopSignal stop;
    private final JudgeMetrics metrics;
    private final Semaphore room;
    private final Map<JudgeEndpoint, Deque<Attempt>> waiting = new LinkedHashMap<>();
    private Thread retrier;

    @Inject
    public PendingRequests(EndpointBackoff backoff, StopSignal stop, JudgeMetrics metrics, JudgeConfig config) {
        this(backoff, stop, metrics, config.retry().maxSetAside());
    }

    public PendingRequests(EndpointBackoff backoff, StopSignal stop, JudgeMetrics metrics, int maxSetAside) {
        if (maxSetAside < 1) {
            throw new IllegalArgumentException("optbench.judge.retry.max-set-aside must be at least 1");
        }
        this.backoff = backoff;
        this.stop = stop;
        this.metrics = metrics;
        this.room = new Semaphore(maxSetAside);
    }

    /**
     * Keeps the attempt until its endpoint may be asked again; returns at once unless {@code retry.max-set-aside}
     * requests wait already.
     *
     * @throws dev.optbench.judge.scoring.JudgingStoppedException when the service stops while waiting for room
     */
    public void setAside(JudgeEndpoint endpoint, Attempt attempt) {
        stop.acquire(room, "room among the requests set aside");
        synchronized (this) {
            waiting.computeIfAbsent(endpoint, key -> new ArrayDeque<>()).addLast(attempt);
            metrics.setAside().incrementAndGet();
            if (retrier == null) {
                retrier = Thread.ofPlatform().daemon().name("judge-set-aside").start(this::retryWhileRunning);
            }
            notifyAll();
        }
        LOG.debugf("a request for %s set aside (%d waiting)", endpoint, metrics.setAside().get());
    }

    private void retryWhileRunning() {
        for (Next next = nextReady(); next != null; next = nextReady()) {
            boolean done;
            try {
                done = next.attempt().run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "trying a set-aside judge request again failed unexpectedly; it stays unacknowledged for the next start");
                done = true;
            }
            synchronized (this) {
                if (done) {
                    room.release();
                    metrics.setAside().decrementAndGet();
                } else {
                    waiting.computeIfAbsent(next.endpoint(), key -> new ArrayDeque<>()).addFirst(next.attempt());
                }
            }
        }
    }

    /** The oldest request of an endpoint that may be asked now, waiting until there is one; null once the service stops. */
    private synchronized Next nextReady() {
        while (!stop.stopped()) {
            Instant now = Instant.now();
            Instant earliest = null;
            for (Iterator<Map.Entry<JudgeEndpoint, Deque<Attempt>>> entries = waiting.entrySet().iterator(); entries.hasNext(); ) {
                Map.Entry<JudgeEndpoint, Deque<Attempt>> entry = entries.next();
                if (entry.getValue().isEmpty()) {
                    entries.remove();
                    continue;
                }
                Instant at = backoff.askAgainAt(entry.getKey(), now);
                if (!at.isAfter(now)) {
                    return new Next(entry.getKey(), entry.getValue().pollFirst());
                }
                earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
            }
            long sleep = earliest == null ? LONGEST_SLEEP_MILLIS : Math.clamp(Duration.between(now, earliest).toMillis(), 1, LONGEST_SLEEP_MILLIS);
            try {
                wait(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
