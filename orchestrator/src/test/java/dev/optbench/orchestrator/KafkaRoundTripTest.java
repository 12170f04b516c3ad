package dev.optbench.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.optbench.contracts.messages.RunCancelled;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A message through the real broker that ./optbench test started, and back. */
class KafkaRoundTripTest {

    @Test
    void aMessageComesBackFromTheRealBrokerUnchanged() throws Exception {
        String topic = "test.round-trip." + UUID.randomUUID();
        RunCancelled sent = new RunCancelled(SchemaVersion.CURRENT, UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, sent.runId().toString(), Messages.toJson(sent))).get();
        }
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals(sent.runId().toString(), record.key());
                    assertEquals(sent, Messages.fromJson(record.value(), RunCancelled.class));
                    return;
                }
            }
        }
        throw new AssertionError("the message did not come back from " + TestInfrastructure.kafkaBootstrap() + " within 30 s");
    }
}
