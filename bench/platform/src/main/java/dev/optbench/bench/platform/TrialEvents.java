package dev.optbench.bench.platform;

import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialPhase;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.WorkerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the worker's progress events of a trial from {@code bench.events} (every partition, from the end at the time
 * it was opened, no consumer group): when its phases began, by the worker's clock, which is this machine's clock.
 */
final class TrialEvents implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;

    TrialEvents(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                .map(p -> new TopicPartition(Topics.EVENTS, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** When the trial started, began loading its server and finished its last sample; null where no event came. */
    record Timeline(Instant started, Instant loading, Instant lastSample) {
    }

    /** Waits until the event of the trial's last sample has arrived (or the timeout passed). */
    Timeline timeline(UUID trialId, Duration timeout) {
        Map<TrialPhase, Instant> phases = new EnumMap<>(TrialPhase.class);
        List<TrialProgress> workload = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && workload.stream().noneMatch(p -> p.samplesDone() == p.samplesTotal())) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                WorkerEvent event;
                try {
                    event = Messages.fromJson(record.value(), WorkerEvent.class);
                } catch (MalformedMessageException other) {
                    continue;
                }
                if (event instanceof TrialProgress progress && trialId.equals(progress.trialId())) {
                    phases.putIfAbsent(progress.phase(), progress.at());
                    if (progress.phase() == TrialPhase.WORKLOAD) {
                        workload.add(progress);
                    }
                }
            }
        }
        Instant lastSample = workload.stream().filter(p -> p.samplesDone() == p.samplesTotal()).findFirst().map(TrialProgress::at).orElse(null);
        return new Timeline(phases.get(TrialPhase.STARTED), phases.get(TrialPhase.LOADING), lastSample);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
