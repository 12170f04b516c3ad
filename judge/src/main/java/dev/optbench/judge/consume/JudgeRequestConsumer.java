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
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code bench.judge}: waits until no trial runs (when configured), judges the request, publishes
 * its scores and only then acknowledges it, so a request is never lost. Requests run concurrently up to
 * {@code optbench.judge.concurrency}. A request that cannot be judged goes to the dead-letter topic with the
 * reason and never stops the consumer.
 */
@ApplicationScoped
public class JudgeRequestConsumer {
    private static final Logger LOG = Logger.getLogger(JudgeRequestConsumer.class);
    private final ScoringService scoring;
    private final IdleTrialsGate idleTrials;
    private final ScorePublisher scores;
    private final DeadLetters deadLetters;
    private final JudgeMetrics metrics;

    public JudgeRequestConsumer(ScoringService scoring, IdleTrialsGate idleTrials, ScorePublisher scores, DeadLetters deadLetters,
            JudgeMetrics metrics) {
        this.scoring = scoring;
        this.idleTrials = idleTrials;
        this.scores = scores;
        this.deadLetters = deadLetters;
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
            scores.publish(judged);
            judged.forEach(score -> metrics.judgement(score.kind(), score.verdict()));
            LOG.debugf("sample %s: %d scores published", request.sampleId(), judged.size());
            return message.ack();
        } catch (MalformedMessageException | JudgeRejectedException | JudgeUnavailableException e) {
            return deadLetter(message, e.getMessage());
        } catch (JudgingStoppedException | PublishFailedException e) {
            LOG.infof("judge request left unacknowledged, to be judged again: %s", e.getMessage());
            return message.nack(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "judging a request failed unexpectedly; dead-lettering it");
            return deadLetter(message, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            metrics.inProgress().decrementAndGet();
        }
    }

    private CompletionStage<Void> deadLetter(Message<String> message, String reason) {
        LOG.warnf("judge request dead-lettered: %s", reason);
        deadLetters.send(message, reason);
        metrics.deadLetter();
        return message.ack();
    }
}
