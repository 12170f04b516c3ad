package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Topics;
import dev.optbench.orchestrator.metrics.OrchestratorMetrics;
import dev.optbench.orchestrator.outbox.KafkaPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

/**
 * Sends records that cannot be stored to {@code bench.dead-letter}, unchanged (key and value), with headers
 * {@code reason}, {@code source-topic}, {@code source-partition} and {@code source-offset}. Waits for Kafka's
 * acknowledgement, so a record's offset is committed only after its dead letter is safe.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int MAX_REASON_CHARACTERS = 2_000;

    private final KafkaPublisher publisher;
    private final OrchestratorMetrics metrics;

    public DeadLetters(KafkaPublisher publisher, OrchestratorMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public void send(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (Rejection rejection : rejections) {
            var source = rejection.record();
            String reason = rejection.reason().length() > MAX_REASON_CHARACTERS
                    ? rejection.reason().substring(0, MAX_REASON_CHARACTERS) : rejection.reason();
            ProducerRecord<String, String> letter = new ProducerRecord<>(Topics.DEAD_LETTER, null, source.key(), source.value(), List.of(
                    header("reason", reason),
                    header("source-topic", source.topic()),
                    header("source-partition", Integer.toString(source.partition())),
                    header("source-offset", Long.toString(source.offset()))));
            sends.add(publisher.send(letter));
            LOG.warnf("%s[%d]@%d to %s: %s", source.topic(), source.partition(), source.offset(), Topics.DEAD_LETTER, reason);
        }
        publisher.flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending dead letters", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send dead letters to " + Topics.DEAD_LETTER, e.getCause());
        }
        rejections.forEach(r -> metrics.deadLettered(r.record().topic()));
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
