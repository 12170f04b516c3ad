package dev.optbench.judge.consume;

import dev.optbench.judge.scoring.JudgingStoppedException;
import dev.optbench.judge.scoring.RetryPolicy;
import dev.optbench.judge.scoring.StopSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Publishes while the broker is away: a send that timed out or failed with a retriable Kafka error is tried again
 * with backoff (1 s doubling to 15 s) for as long as the service runs, as the worker's result delivery does, so an
 * outage longer than the producer's own timeouts costs a wait instead of stopping the request channel. Sending
 * again is safe: scores are keyed by {@code Score.idOf(sample, kind)} and replace each other. A non-retriable
 * error ends the attempts with the exception; the service stopping ends them with
 * {@link JudgingStoppedException}, leaving the request unacknowledged for the next start.
 */
@ApplicationScoped
public class PublishRetry {
    private static final Logger LOG = Logger.getLogger(PublishRetry.class);
    static final RetryPolicy BACKOFF = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(15), null);

    private final StopSignal stop;
    private final RetryPolicy backoff;

    @Inject
    public PublishRetry(StopSignal stop) {
        this(stop, BACKOFF);
    }

    PublishRetry(StopSignal stop, RetryPolicy backoff) {
        this.stop = stop;
        this.backoff = backoff;
    }

    /**
     * @param publish one attempt at sending everything; throws {@link PublishFailedException} when the broker did not take it
     * @throws PublishFailedException  when the broker refused it for a reason that sending again will not change
     * @throws JudgingStoppedException when the service stops while waiting to send again
     */
    public void publish(String what, Runnable publish) {
        Duration wait = backoff.initial();
        for (int attempt = 1; ; attempt++) {
            try {
                publish.run();
                if (attempt > 1) {
                    LOG.infof("%s published after %d attempts", what, attempt);
                }
                return;
            } catch (PublishFailedException e) {
                if (!retriable(e)) {
                    throw e;
                }
                LOG.warnf("%s not published (%s); trying again in %s", what, e.getMessage(), wait);
            }
            stop.pause(wait, "the broker to take " + what);
            wait = backoff.next(wait);
        }
    }

    static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
