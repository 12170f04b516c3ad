package dev.optbench.worker.jobs;

import dev.optbench.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a shared topic from a point in time, without a consumer group; callers filter out foreign records. */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    TopicReader(String topic, Instant from) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset == null ? ends.get(partition) : offset.offset());
            consumer.position(partition);
        }
    }

    /** Polls until a record matching {@code done} arrives; returns every record seen so far that matches {@code mine}. */
    List<ConsumerRecord<String, String>> until(Predicate<ConsumerRecord<String, String>> mine, Predicate<ConsumerRecord<String, String>> done,
                                               Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.stream().noneMatch(r -> mine.test(r) && done.test(r))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching record within " + timeout + "; saw " + seen.stream().filter(mine).toList());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(mine).toList();
    }

    /** Polls until at least {@code count} records matching {@code mine} arrived; returns them all. */
    List<ConsumerRecord<String, String>> atLeast(Predicate<ConsumerRecord<String, String>> mine, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.stream().filter(mine).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " matching records within " + timeout + "; saw " + seen.stream().filter(mine).toList());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(mine).toList();
    }

    /** Reads every record written so far; returns those matching {@code mine}. */
    List<ConsumerRecord<String, String>> toEnd(Predicate<ConsumerRecord<String, String>> mine) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read up to " + ends);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(mine).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
