package dev.optbench.worker.jobs;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.WorkerEvent;
import dev.optbench.worker.config.WorkerConfig;
import dev.optbench.worker.trial.TrialOutcome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Everything the worker writes to Kafka. Results are sent synchronously and acknowledged by all replicas
 * before the job's offset is committed; events are sent without waiting.
 */
@ApplicationScoped
public class KafkaPublisher {
    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);

    private final WorkerConfig config;
    private volatile KafkaProducer<String, String> producer;

    @Inject
    public KafkaPublisher(WorkerConfig config) {
        this.config = config;
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "optbench-worker-producer");
                    producer = new KafkaProducer<>(props);
                }
                current = producer;
            }
        }
        return current;
    }

    /** Publishes a trial's samples in chunks, then its TrialFinished; returns once the broker has them all. */
    public void publishOutcome(TrialOutcome outcome) throws ExecutionException, InterruptedException, TimeoutException {
        String key = outcome.finished().trialId().toString();
        int index = 0;
        for (List<Sample> chunk : chunks(outcome.samples(), config.results().chunkSamples(), config.results().chunkBytes())) {
            SampleChunk message = new SampleChunk(SchemaVersion.CURRENT, outcome.finished().runId(), outcome.finished().trialId(), index++, chunk);
            send(Topics.RESULTS, key, Messages.toJson(message));
        }
        send(Topics.RESULTS, key, Messages.toJson(outcome.finished()));
        LOG.debugf("published trial %s: %d chunks and its summary", key, index);
    }

    /** Sends an event without waiting; a lost progress event is logged, not retried. */
    public void publishEvent(WorkerEvent event) {
        producer().send(new ProducerRecord<>(Topics.EVENTS, event.workerId(), Messages.toJson(event)), (metadata, error) -> {
            if (error != null) {
                LOG.warnf("event %s not published: %s", event.getClass().getSimpleName(), error.getMessage());
            }
        });
    }

    /** Moves a record the worker cannot read to {@code bench.dead-letter}, with the reason in a header. */
    public void deadLetter(ConsumerRecord<String, String> record, String reason) throws ExecutionException, InterruptedException, TimeoutException {
        ProducerRecord<String, String> letter = new ProducerRecord<>(Topics.DEAD_LETTER, record.key(), record.value());
        letter.headers().add("reason", reason.getBytes(StandardCharsets.UTF_8));
        letter.headers().add("source-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        producer().send(letter).get(30, TimeUnit.SECONDS);
    }

    private void send(String topic, String key, String value) throws ExecutionException, InterruptedException, TimeoutException {
        producer().send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
    }

    /** Splits samples into chunks of at most {@code maxSamples} samples and about {@code maxBytes} of JSON. */
    static List<List<Sample>> chunks(List<Sample> samples, int maxSamples, int maxBytes) {
        List<List<Sample>> chunks = new ArrayList<>();
        List<Sample> current = new ArrayList<>();
        int bytes = 0;
        for (Sample sample : samples) {
            int size = Messages.toJson(sample).getBytes(StandardCharsets.UTF_8).length;
            if (!current.isEmpty() && (current.size() >= maxSamples || bytes + size > maxBytes)) {
                chunks.add(List.copyOf(current));
                current.clear();
                bytes = 0;
            }
            current.add(sample);
            bytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(List.copyOf(current));
        }
        return chunks;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
