package dev.optbench.judge.consume;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Score;
import dev.optbench.judge.idle.IdleTrialsGate;
import dev.optbench.judge.models.JudgeRejectedException;
import dev.optbench.judge.models.JudgeUnavailableException;
import dev.optbench.judge.scoring.EndpointDownException;
import dev.optbench.judge.scoring.JudgeMetrics;
import dev.optbench.judge.scoring.JudgingStoppedException;
import dev.optbench.judge.scoring.ScoringService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code bench.judge}: waits until no trial runs (when configured), judges the request, publishes
 * its scores and only then acknowledges it, so a request is never lost. Requests run concurrently up to
 * {@code optbench.judge.concurrency}. A request whose judge does not answer is set aside, unacknowledged
 * ({@link PendingRequests}), and its thread moves on to the next request, so one judge that is down delays no
 * request for another. A request that cannot be judged goes to the dead-letter topic with the reason. The
 * channel never stops: publishing waits out a broker outage ({@link PublishRetry}), and a request that can be
 * neither scored nor dead-lettered stays unacknowledged, to be judged again after a restart.
 */
@ApplicationScoped
public class JudgeRequestConsumer {
    private static final Logger LOG = Logger.getLogger(JudgeRequestConsumer.class);
    private final ScoringService scoring;
    private final IdleTrialsGate idleTrials;
    private final ScorePublisher scores;
    private final DeadLetters deadLetters;
    private final PublishRetry publishing;
    private final PendingRequests pending;
    private final JudgeMetrics metrics;

    public JudgeRequestConsumer(ScoringService scoring, IdleTrialsGate idleTrials, ScorePublisher scores, DeadLetters deadLetters,
            PublishRetry publishing, PendingRequests pending, JudgeMetrics metrics) {
        this.scoring = scoring;
        this.idleTrials = idleTrials;
        this.scores = scores;
        this.deadLetters = deadLetters;
        this.publishing = publishing;
        this.pending = pending;
        this.metrics = metrics;
    }

    @Incoming("judge-requests")
    @Blocking(value = "judge-workers", ordered = false)
    public CompletionStage<Void> consume(Message<String> message) {
        metrics.inProgress().incrementAndGet();
        try {
            if (message.getPayload() == null) {
                throw new MalformedMessageException("empty record");
            }
            JudgeRequest request = Messages.fromJson(message.getPayload(), JudgeRequest.class);
            EndpointDownException down = attempt(message, request);
            if (down != null) {
                // Set aside, not waited for: unacknowledged until scored once (nothing lost, nothing twice), while this thread moves on.
                pending.setAside(down.endpoint(), () -> attempt(message, request) == null);
            }
        } catch (MalformedMessageException e) {
            deadLetter(message, e.getMessage());
        } catch (JudgingStoppedException e) {
            leaveUnacknowledged(e.getMessage());
        } finally {
            metrics.inProgress().decrementAndGet();
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Judges the request, publishes its scores and acknowledges it, or dead-letters it, or leaves it for the next
     * start; returns the failure instead when its judge does not answer and the request is to wait.
     */
    private EndpointDownException attempt(Message<String> message, JudgeRequest request) {
        try {
            idleTrials.awaitIdle();
            List<Score> judged = scoring.judge(request);
            publishing.publish("the scores of sample " + request.sampleId(), () -> scores.publish(judged));
            judged.forEach(score -> metrics.judgement(score.kind(), score.verdict()));
            LOG.debugf("sample %s: %d scores published", request.sampleId(), judged.size());
            message.ack();
        } catch (EndpointDownException e) {
            return e;
        } catch (MalformedMessageException | JudgeRejectedException | JudgeUnavailableException | PublishFailedException e) {
            deadLetter(message, e.getMessage());
        } catch (JudgingStoppedException e) {
            leaveUnacknowledged(e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "judging a request failed unexpectedly; dead-lettering it");
            deadLetter(message, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return null;
    }

    private void deadLetter(Message<String> message, String reason) {
        LOG.warnf("judge request dead-lettered: %s", reason);
        try {
            publishing.publish("a dead letter", () -> deadLetters.send(message, reason));
        } catch (PublishFailedException e) {
            LOG.errorf("a judge request to dead-letter (%s) could not be: %s", reason, e.getMessage());
            leaveUnacknowledged("the dead-letter topic refused it");
            return;
        } catch (JudgingStoppedException e) {
            leaveUnacknowledged(e.getMessage());
            return;
        }
        metrics.deadLetter();
        message.ack();
    }

    /** Neither acknowledged nor nacked (which would stop the channel): its offset stays uncommitted, so the next start judges it again. */
    private static void leaveUnacknowledged(String why) {
        LOG.infof("judge request left unacknowledged, to be judged again after a restart: %s", why);
    }
}
