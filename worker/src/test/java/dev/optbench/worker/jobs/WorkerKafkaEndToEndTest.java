package dev.optbench.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.RunCancelled;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.TrialResult;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.contracts.messages.WorkerEvent;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.WorkerIdentity;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The worker app against the real broker: a job in, sample chunks and the trial's end out, the offset committed. */
@QuarkusTest
@TestProfile(JoinedPoolProfile.class)
class WorkerKafkaEndToEndTest {
    private static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(3);

    @Inject
    WorkerIdentity identity;

    @Inject
    CancelledRuns cancelledRuns;

    @Test
    void aJobOnThePoolTopicYieldsSampleChunksThenOneTrialFinishedAndIsCommitted() throws Exception {
        Instant from = Instant.now();
        TrialJob job = TestWorker.placed(TestWorker.job("default", true, List.of(new Flag("--threads", "2")), TestWorker.tiny(null, 0),
                TestWorker.smallWorkload(16, 1, List.of(1))), 2, 5);
        String key = job.trialId().toString();
        try (TopicReader results = new TopicReader(Topics.RESULTS, from); TopicReader events = new TopicReader(Topics.EVENTS, from)) {
            RecordMetadata sent = publish(identity.jobsTopic(), key, Messages.toJson(job));
            List<ConsumerRecord<String, String>> mine = results.until(r -> key.equals(r.key()),
                    r -> r.value().contains("\"trial-finished\""), TRIAL_TIMEOUT);
            List<TrialResult> messages = mine.stream().map(r -> Messages.fromJson(r.value(), TrialResult.class)).toList();
            TrialFinished finished = (TrialFinished) messages.getLast();
            assertEquals(TrialStatus.SUCCEEDED, finished.status(), finished.reason());
            assertEquals(identity.id(), finished.workerId());
            List<SampleChunk> chunks = messages.subList(0, messages.size() - 1).stream().map(m -> (SampleChunk) m).toList();
            assertEquals(2, chunks.size(), "3 samples in chunks of at most 2");
            assertEquals(List.of(0, 1), chunks.stream().map(SampleChunk::chunkIndex).toList());
            assertEquals(3, chunks.stream().mapToInt(c -> c.samples().size()).sum());
            assertEquals(3, finished.sampleCount());
            assertTrue(chunks.stream().flatMap(c -> c.samples().stream()).allMatch(s -> s.latencyMillis() > s.ttftMillis()));

            List<ConsumerRecord<String, String>> progress = events.until(r -> r.value().contains(key),
                    r -> r.value().contains("\"WORKLOAD\""), Duration.ofSeconds(30));
            TrialProgress last = (TrialProgress) Messages.fromJson(progress.getLast().value(), WorkerEvent.class);
            assertEquals(job.trialId(), last.trialId());
            for (ConsumerRecord<String, String> event : progress) {
                TrialProgress step = (TrialProgress) Messages.fromJson(event.value(), WorkerEvent.class);
                assertEquals(2, step.trialIndex(), "trial 3 of 5: " + step);
                assertEquals(5, step.trialCount(), "trial 3 of 5: " + step);
            }

            awaitCommitted(new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1);
        }
    }

    @Test
    void theWorkerAnnouncesItsCapabilities() {
        try (TopicReader events = new TopicReader(Topics.EVENTS, Instant.now().minus(Duration.ofMinutes(5)))) {
            List<ConsumerRecord<String, String>> mine = events.until(r -> identity.id().equals(r.key()),
                    r -> r.value().contains("\"worker-capabilities\""), Duration.ofSeconds(30));
            WorkerCapabilities capabilities = mine.stream().map(r -> Messages.fromJson(r.value(), WorkerEvent.class))
                    .filter(e -> e instanceof WorkerCapabilities).map(e -> (WorkerCapabilities) e).findFirst().orElseThrow();
            assertEquals(identity.pool(), capabilities.pool());
            assertTrue(capabilities.acceptedFlags().containsAll(List.of("--flash-attn", "-fa", "--threads", "--parallel")));
            assertNotNull(capabilities.environment().llamaCommit());
            assertTrue(capabilities.environment().cpuCores() > 0);
            assertTrue(!capabilities.environment().devices().isEmpty());
        }
    }

    @Test
    void theWorkerAnnouncesItsCapabilitiesAgainEveryInterval() {
        // Two announcements after the test began: at least one comes from the schedule (2 s in this profile), not the start.
        try (TopicReader events = new TopicReader(Topics.EVENTS, Instant.now())) {
            List<WorkerCapabilities> announced = events.atLeast(r -> identity.id().equals(r.key()) && r.value().contains("\"worker-capabilities\""),
                    2, Duration.ofSeconds(30)).stream().map(r -> (WorkerCapabilities) Messages.fromJson(r.value(), WorkerEvent.class)).toList();
            assertTrue(announced.get(1).at().isAfter(announced.get(0).at()), announced.get(0).at() + " then " + announced.get(1).at());
            assertEquals(identity.pool(), announced.get(1).pool());
            assertTrue(announced.get(1).acceptedFlags().contains("--threads"));
        }
    }

    @Test
    void aJobOfACancelledRunEndsCancelled() throws Exception {
        UUID run = UUID.randomUUID();
        publish(Topics.CONTROL, run.toString(), Messages.toJson(new RunCancelled(SchemaVersion.CURRENT, run, Instant.now())));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cancelledRuns.isCancelled(run)) {
            assertTrue(System.nanoTime() < deadline, "the worker did not read the cancellation");
            Thread.sleep(50);
        }
        TrialJob job = TestWorker.job(run, "default", true, List.of(), TestWorker.tiny(null, 0), null,
                TestWorker.smallWorkload(8, 1, List.of(1)), null);
        String key = job.trialId().toString();
        try (TopicReader results = new TopicReader(Topics.RESULTS, Instant.now())) {
            publish(identity.jobsTopic(), key, Messages.toJson(job));
            List<ConsumerRecord<String, String>> mine = results.until(r -> key.equals(r.key()),
                    r -> r.value().contains("\"trial-finished\""), TRIAL_TIMEOUT);
            assertEquals(1, mine.size(), "no samples, one TrialFinished");
            TrialFinished finished = (TrialFinished) Messages.fromJson(mine.getFirst().value(), TrialResult.class);
            assertEquals(TrialStatus.CANCELLED, finished.status());
            assertEquals("the run was cancelled", finished.reason());
        }
    }

    @Test
    void anUnreadableJobGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        String key = "not-a-job-" + UUID.randomUUID();
        try (TopicReader deadLetters = new TopicReader(Topics.DEAD_LETTER, Instant.now())) {
            publish(identity.jobsTopic(), key, "{\"schemaVersion\": 99}");
            ConsumerRecord<String, String> letter = deadLetters.until(r -> key.equals(r.key()), r -> true, Duration.ofSeconds(60)).getFirst();
            String reason = new String(letter.headers().lastHeader("reason").value(), StandardCharsets.UTF_8);
            assertTrue(reason.contains("unsupported schemaVersion 99"), reason);
            assertEquals(identity.jobsTopic(), new String(letter.headers().lastHeader("source-topic").value(), StandardCharsets.UTF_8));
        }
    }

    private void awaitCommitted(TopicPartition partition, long offset) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(identity.jobsGroup())
                        .partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata at = committed.get(partition);
                if (at != null && at.offset() >= offset) {
                    assertEquals(offset, at.offset());
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "offset " + offset + " of " + partition + " not committed: " + committed);
                Thread.sleep(100);
            }
        }
    }

    private static RecordMetadata publish(String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
