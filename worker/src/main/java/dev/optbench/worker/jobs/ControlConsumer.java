package dev.optbench.worker.jobs;

import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.RunCancelled;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads {@code bench.control}, the broadcast of cancelled runs. Every worker must see every message, so the
 * worker assigns itself all partitions (no consumer group, nothing to commit) and starts
 * {@code cancellation-lookback} in the past, so a run cancelled while it was down is still known.
 * A message it cannot read is logged and skipped: every worker reads it, so dead-lettering would copy it once per worker.
 */
@ApplicationScoped
public class ControlConsumer {
    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

    private final WorkerConfig config;
    private final CancelledRuns cancelledRuns;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    @Inject
    public ControlConsumer(WorkerConfig config, CancelledRuns cancelledRuns) {
        this.config = config;
        this.cancelledRuns = cancelledRuns;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.joinPool()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "optbench-control");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void loop() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, String> control = new KafkaConsumer<>(props)) {
            consumer = control;
            List<TopicPartition> partitions = awaitPartitions(control);
            if (partitions.isEmpty()) {
                return;
            }
            control.assign(partitions);
            seekToLookback(control, partitions);
            while (running) {
                for (ConsumerRecord<String, String> record : control.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException stopping) {
            LOG.debug("control consumer stopped");
        } catch (RuntimeException e) {
            LOG.error("the control consumer failed; cancellations will not reach this worker", e);
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, String> control) {
        while (running) {
            List<PartitionInfo> infos = control.partitionsFor(Topics.CONTROL, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private void seekToLookback(KafkaConsumer<String, String> control, List<TopicPartition> partitions) {
        long since = Instant.now().minus(config.cancellationLookback()).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = control.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = control.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            control.seek(partition, offset == null ? ends.get(partition) : offset.offset());
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        try {
            RunCancelled cancelled = Messages.fromJson(record.value(), RunCancelled.class);
            LOG.infof("run %s is cancelled", cancelled.runId());
            cancelledRuns.cancel(cancelled.runId());
        } catch (MalformedMessageException e) {
            LOG.warnf("skipping unreadable bench.control record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }
}
