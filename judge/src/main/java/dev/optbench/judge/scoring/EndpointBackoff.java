package dev.optbench.judge.scoring;

import dev.optbench.judge.config.JudgeConfig;
import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeModels;
import dev.optbench.judge.models.JudgeUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Which judge endpoints do not answer, and when each may be asked again: after a call that got no answer an
 * endpoint waits {@code retry.initial-backoff}, doubling with each further failure up to {@code retry.max-backoff},
 * until a call is answered. While it waits, its requests are set aside without a call, so an endpoint that is
 * down holds no thread and delays no request for another endpoint. Once it has failed for longer than its give-up
 * time ({@code retry.give-up-after} for the default judge, unset by default; {@code retry.run-judge-give-up-after}
 * for a judge a run names), its requests are given up (dead-lettered) at once, until a call is answered again.
 */
@ApplicationScoped
public class EndpointBackoff {
    private static final Logger LOG = Logger.getLogger(EndpointBackoff.class);

    private record Down(Instant since, Duration backoff, Instant askAgainAt, String failure) {
    }

    private final Map<JudgeEndpoint, Down> down = new ConcurrentHashMap<>();
    private final RetryPolicy retry;
    private final Duration runJudgeGiveUpAfter;
    private final JudgeEndpoint defaultEndpoint;

    @Inject
    public EndpointBackoff(JudgeConfig config, JudgeModels models) {
        this(new RetryPolicy(config.retry().initialBackoff(), config.retry().maxBackoff(), config.retry().giveUpAfter().orElse(null)),
                config.retry().runJudgeGiveUpAfter(), models.defaultEndpoint());
    }

    /** @param retry the backoff, with the default judge's give-up time (null: never) */
    public EndpointBackoff(RetryPolicy retry, Duration runJudgeGiveUpAfter, JudgeEndpoint defaultEndpoint) {
        this.retry = retry;
        this.runJudgeGiveUpAfter = runJudgeGiveUpAfter;
        this.defaultEndpoint = defaultEndpoint;
    }

    /**
     * Returns when the endpoint may be asked now: it answers, or its wait is over.
     *
     * @throws EndpointDownException     while it waits
     * @throws JudgeUnavailableException while it waits after failing for longer than its give-up time
     */
    public void beforeCall(JudgeEndpoint endpoint) {
        Down state = down.get(endpoint);
        Instant now = Instant.now();
        if (state == null || !now.isBefore(state.askAgainAt())) {
            return;
        }
        if (givenUp(endpoint, state, now)) {
            throw gaveUp(endpoint, state);
        }
        throw new EndpointDownException(endpoint, "judge " + endpoint + " does not answer (" + state.failure() + "); asking again at "
                + state.askAgainAt());
    }

    /**
     * Records a call that got no answer and returns what to throw: {@link EndpointDownException} to set the request
     * aside, or {@link JudgeUnavailableException} once the endpoint has failed for longer than its give-up time.
     */
    public RuntimeException failed(JudgeEndpoint endpoint, JudgeUnavailableException failure) {
        Instant now = Instant.now();
        Down state = down.compute(endpoint, (key, before) -> {
            Duration wait = before == null ? retry.initial() : retry.next(before.backoff());
            return new Down(before == null ? now : before.since(), wait, now.plus(wait), failure.getMessage());
        });
        if (givenUp(endpoint, state, now)) {
            LOG.warnf("%s for %s: its requests are dead-lettered until it answers again", failure.getMessage(), Duration.between(state.since(), now));
            return gaveUp(endpoint, state);
        }
        LOG.warnf("%s; its requests are set aside, asking again in %s", failure.getMessage(), state.backoff());
        return new EndpointDownException(endpoint, failure.getMessage());
    }

    public void answered(JudgeEndpoint endpoint) {
        Down state = down.remove(endpoint);
        if (state != null) {
            LOG.infof("judge %s answers again after %s", endpoint, Duration.between(state.since(), Instant.now()));
        }
    }

    /**
     * When a request set aside for the endpoint is worth trying again: {@code now} when the endpoint answers or its
     * requests are given up, else when its wait ends.
     */
    public Instant askAgainAt(JudgeEndpoint endpoint, Instant now) {
        Down state = down.get(endpoint);
        return state == null || givenUp(endpoint, state, now) ? now : state.askAgainAt();
    }

    private boolean givenUp(JudgeEndpoint endpoint, Down state, Instant now) {
        Duration giveUp = giveUpAfter(endpoint);
        return giveUp != null && Duration.between(state.since(), now).compareTo(giveUp) >= 0;
    }

    private Duration giveUpAfter(JudgeEndpoint endpoint) {
        return endpoint.equals(defaultEndpoint) ? retry.giveUpAfter() : runJudgeGiveUpAfter;
    }

    private JudgeUnavailableException gaveUp(JudgeEndpoint endpoint, Down state) {
        return new JudgeUnavailableException("gave up after judge " + endpoint + " did not answer for " + giveUpAfter(endpoint) + ": "
                + state.failure(), null);
    }
}
