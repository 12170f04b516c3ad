package dev.optbench.orchestrator.outbox;

import dev.optbench.orchestrator.config.OrchestratorConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The orchestrator's one Kafka producer, for the outbox relay and the dead-letter topic. Topics are chosen per
 * message (job topics are per pool), which a fixed messaging channel cannot do; every send is acknowledged by
 * all in-sync replicas and idempotent, so a retried send does not duplicate within the producer session.
 */
@ApplicationScoped
public class KafkaPublisher {
    private final KafkaProducer<String, String> producer;

    @Inject
    public KafkaPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, OrchestratorConfig orchestrator) {
        int sendTimeoutMillis = (int) orchestrator.outbox().sendTimeout().toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get("bootstrap.servers"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, sendTimeoutMillis * 2 / 3));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendTimeoutMillis);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "optbench-orchestrator-publisher");
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return producer.send(record);
    }

    /** Sends every buffered record now; the futures of earlier sends are complete when this returns. */
    public void flush() {
        producer.flush();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
