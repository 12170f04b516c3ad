package dev.optbench.judge.consume;

import dev.optbench.contracts.messages.Topics;
import dev.optbench.judge.scoring.JudgingStoppedException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends a request that cannot be judged to {@code bench.dead-letter}: the original key and value, with
 * headers {@code reason} and {@code source-topic}. Returns once the broker has it; one attempt, sent again by
 * {@link PublishRetry}.
 */
@ApplicationScoped
public class DeadLetters {
    private static final long SEND_TIMEOUT_SECONDS = 120;

    @Inject
    @Channel("dead-letters")
    Emitter<String> emitter;

    public void send(Message<String> original, String reason) {
        IncomingKafkaRecordMetadata<?, ?> incoming = original.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        String topic = incoming == null ? Topics.JUDGE : incoming.getTopic();
        Object key = incoming == null ? null : incoming.getKey();
        RecordHeaders headers = new RecordHeaders();
        headers.add("reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("source-topic", topic.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key == null ? null : key.toString()).withHeaders(headers).build();
        String payload = original.getPayload() == null ? "" : original.getPayload();
        try {
            ScorePublisher.Acknowledged.send(emitter, payload, metadata).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("publishing on bench.dead-letter failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("the broker did not acknowledge the dead letter within " + SEND_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgingStoppedException("interrupted while publishing on bench.dead-letter");
        }
    }
}
