package dev.optbench.judge.consume;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Score;
import dev.optbench.judge.idle.IdleTrialsGate;
import dev.optbench.judge.models.JudgeRejectedException;
import dev.optbench.judge.models.JudgeUnavailableException;
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
 * {@code optbench.judge.concurrency}. A request that cannot be judged goes to the dead-letter topic with the
 * reason. The channel never stops: publishing waits out a broker outage ({@link PublishRetry}), and a request
 * that can be neither scored nor dead-lettered stays unacknowledged, to be judged again after a restart.
 */
@ApplicationScoped
public class JudgeRequestConsumer {
    private static final Logger LOG = Logger.getLogger(JudgeRequestConsumer.class);
    private final ScoringService scoring;
    private final IdleTrialsGate idleTrials;
    private final ScorePublisher scores;
    private final DeadLetters deadLetters;
    private final PublishRetry publishing;
    private final JudgeMetrics metrics;

    public JudgeRequestConsumer(ScoringService scoring, IdleTrialsGate idleTrials, ScorePublisher scores, DeadLetters deadLetters,
            PublishRetry publishing, JudgeMetrics metrics) {
        this.scoring = scoring;
        this.idleTrials = idleTrials;
        this.scores = scores;
        this.deadLetters = deadLetters;
        this.publishing = publishing;
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
            idleTrials.awaitIdle();
            List<Score> judged = scoring.judge(request);
            publishing.publish("the scores of sample " + request.sampleId(), () -> scores.publish(judged));
            judged.forEach(score -> metrics.judgement(score.kind(), score.verdict()));
            LOG.debugf("sample %s: %d scores published", request.sampleId(), judged.size());
            return message.ack();
        } catch (MalformedMessageException | JudgeRejectedException | JudgeUnavailableException | PublishFailedException e) {
            return deadLetter(message, e.getMessage());
        } catch (JudgingStoppedException e) {
            return leaveUnacknowledged(e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "judging a request failed unexpectedly; dead-lettering it");
            return deadLetter(message, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            metrics.inProgress().decrementAndGet();
        }
    }

    private CompletionStage<Void> deadLetter(Message<String> message, String reason) {
        LOG.warnf("judge request dead-lettered: %s", reason);
        try {
            publishing.publish("a dead letter", () -> deadLetters.send(message, reason));
        } catch (PublishFailedException e) {
            LOG.errorf("a judge request to dead-letter (%s) could not be: %s", reason, e.getMessage());
            return leaveUnacknowledged("the dead-letter topic refused it");
        } catch (JudgingStoppedException e) {
            return leaveUnacknowledged(e.getMessage());
        }
        metrics.deadLetter();
        return message.ack();
    }

    /** Neither acknowledged nor nacked (which would stop the channel): its offset stays uncommitted, so the next start judges it again. */
    private static CompletionStage<Void> leaveUnacknowledged(String why) {
        LOG.infof("judge request left unacknowledged, to be judged again after a restart: %s", why);
        return CompletableFuture.completedFuture(null);
    }
}
