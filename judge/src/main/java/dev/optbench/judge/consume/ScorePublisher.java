package dev.optbench.judge.consume;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Score;
import dev.optbench.judge.scoring.JudgingStoppedException;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes scores on {@code bench.scores}, keyed by sample id, and returns once the broker has them: only
 * then is the request acknowledged. One attempt; {@link PublishRetry} sends again while the broker is away.
 */
@ApplicationScoped
public class ScorePublisher {
    private static final long SEND_TIMEOUT_SECONDS = 120;

    @Inject
    @Channel("scores")
    Emitter<String> emitter;

    public void publish(List<Score> scores) {
        List<CompletableFuture<Void>> sent = new ArrayList<>(scores.size());
        for (Score score : scores) {
            sent.add(Acknowledged.send(emitter, Messages.toJson(score),
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(score.sampleId().toString()).build()));
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("publishing scores on bench.scores failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("the broker did not acknowledge the scores within " + SEND_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgingStoppedException("interrupted while publishing scores");
        }
    }

    /** Sending through an emitter with the broker's acknowledgement as a future. */
    static final class Acknowledged {
        private Acknowledged() {
        }

        static CompletableFuture<Void> send(Emitter<String> emitter, String payload, OutgoingKafkaRecordMetadata<String> metadata) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Message<String> message = Message.of(payload)
                    .addMetadata(metadata)
                    .withAck(() -> {
                        done.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        done.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    });
            emitter.send(message);
            return done;
        }
    }
}
