package dev.optbench.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialResult;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.WorkerIdentity;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A second member joins the pool's group while the worker app runs a trial, against the real broker. The job sits
 * on partition 3, the one the stock cooperative-sticky assignor hands to a newcomer (it keeps a member's lowest
 * partitions), so without the worker's own assignor the newcomer would read the uncommitted job and run it again.
 */
@QuarkusTest
@TestProfile(JoinedPoolProfile.class)
class JobConsumerRebalanceTest {
    private static final int MOVED_BY_STICKY = 3;
    private static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(3);

    @Inject
    WorkerIdentity identity;

    @Inject
    JobConsumer worker;

    @AfterEach
    void noServerIsLeft() {
        assertEquals(List.of(), TestWorker.leftoverServers(), "llama-server processes left behind");
    }

    @Test
    void aWorkerJoiningMidTrialTakesIdlePartitionsAndTheTrialFinishesOnceWhereItStarted() throws Exception {
        TrialJob job = longJob();
        String key = job.trialId().toString();
        TopicPartition partition = new TopicPartition(identity.jobsTopic(), MOVED_BY_STICKY);
        try (TopicReader results = new TopicReader(Topics.RESULTS, Instant.now()); TopicReader events = new TopicReader(Topics.EVENTS, Instant.now())) {
            RecordMetadata sent = publish(partition, key, Messages.toJson(job));
            events.until(r -> r.value().contains(key), r -> r.value().contains("\"WORKLOAD\""), TRIAL_TIMEOUT);

            List<ConsumerRecord<String, String>> newcomerRead = new ArrayList<>();
            try (KafkaConsumer<String, String> newcomer = newcomer(false)) {
                pollUntil(newcomer, newcomerRead, () -> newcomer.assignment().size() == 2, "the newcomer's share of the 4 partitions");
                assertEquals(Optional.of(job.trialId()), worker.trialInFlight(), "the group rebalanced while the trial ran");
                assertFalse(newcomer.assignment().contains(partition), "the trial's partition moved: " + newcomer.assignment());
                pollUntil(newcomer, newcomerRead, () -> worker.trialInFlight().isEmpty(), "the trial's end");
            }
            assertEquals(List.of(), newcomerRead.stream().filter(r -> key.equals(r.key())).toList(), "the newcomer read the trial's job");

            List<TrialFinished> finished = finishedOf(results.until(r -> key.equals(r.key()), r -> r.value().contains("\"trial-finished\""), TRIAL_TIMEOUT));
            assertEquals(1, finished.size());
            assertEquals(TrialStatus.SUCCEEDED, finished.getFirst().status(), finished.getFirst().reason());
            assertEquals(identity.id(), finished.getFirst().workerId());
            awaitCommitted(partition, sent.offset() + 1);
        }
    }

    @Test
    void aTrialWhosePartitionMovesAnywayIsAbandonedUncommittedSoOnlyTheNewOwnerRunsIt() throws Exception {
        TrialJob job = longJob();
        String key = job.trialId().toString();
        TopicPartition partition = new TopicPartition(identity.jobsTopic(), MOVED_BY_STICKY);
        try (TopicReader results = new TopicReader(Topics.RESULTS, Instant.now()); TopicReader events = new TopicReader(Topics.EVENTS, Instant.now())) {
            RecordMetadata sent = publish(partition, key, Messages.toJson(job));
            events.until(r -> r.value().contains(key), r -> r.value().contains("\"WORKLOAD\""), TRIAL_TIMEOUT);
            assertEquals(1, TestWorker.leftoverServers().size(), "the trial's server runs");

            List<ConsumerRecord<String, String>> newcomerRead = new ArrayList<>();
            // A worker of an older build knows only cooperative-sticky, so the group uses that and moves partition 3.
            try (KafkaConsumer<String, String> newcomer = newcomer(true)) {
                pollUntil(newcomer, newcomerRead, () -> newcomer.assignment().size() == 2, "the newcomer's share of the 4 partitions");
                assertTrue(newcomer.assignment().contains(partition), "the stock assignor kept partition 3 with the worker: " + newcomer.assignment());
                pollUntil(newcomer, newcomerRead, () -> newcomerRead.stream().anyMatch(r -> key.equals(r.key())), "the uncommitted job at its new owner");
                pollUntil(newcomer, newcomerRead, () -> worker.trialInFlight().isEmpty(), "the worker giving the trial up");

                assertEquals(List.of(), TestWorker.leftoverServers(), "the abandoned trial's server is stopped");
                assertEquals(List.of(), results.toEnd(r -> key.equals(r.key())), "the worker that gave up the partition published the trial");
                assertTrue(committed(partition) <= sent.offset(), "the abandoned job's offset was committed");
            }
            // The newcomer leaves without committing: the worker owns partition 3 again and runs the trial, once.
            List<TrialFinished> finished = finishedOf(results.until(r -> key.equals(r.key()), r -> r.value().contains("\"trial-finished\""), TRIAL_TIMEOUT));
            assertEquals(1, finished.size());
            assertEquals(TrialStatus.SUCCEEDED, finished.getFirst().status(), finished.getFirst().reason());
            awaitCommitted(partition, sent.offset() + 1);
        }
    }

    /** About fifteen seconds of generation on one thread, long enough for two rebalances to happen during it. */
    private static TrialJob longJob() {
        return TestWorker.job("long", true, List.of(new Flag("--threads", "1")), TestWorker.tiny(null, 0),
                TestWorker.smallWorkload(128, 20, List.of(1)));
    }

    /** A second member of the worker's group, configured as the worker is; {@code olderBuild}: cooperative-sticky only. */
    private KafkaConsumer<String, String> newcomer(boolean olderBuild) {
        Properties props = worker.properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "newcomer-" + UUID.randomUUID());
        props.put(JobPartitionAssignor.IN_FLIGHT_CONFIG, (Supplier<Set<TopicPartition>>) Set::of);
        if (olderBuild) {
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(identity.jobsTopic()));
        return consumer;
    }

    private static void pollUntil(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> read, BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TRIAL_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + TRIAL_TIMEOUT + "; assignment " + consumer.assignment());
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
    }

    private static List<TrialFinished> finishedOf(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> Messages.fromJson(r.value(), TrialResult.class))
                .filter(m -> m instanceof TrialFinished).map(m -> (TrialFinished) m).toList();
    }

    /** The group's committed offset of a partition, -1 when none. */
    private long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap()))) {
            OffsetAndMetadata at = admin.listConsumerGroupOffsets(identity.jobsGroup()).partitionsToOffsetAndMetadata().get().get(partition);
            return at == null ? -1 : at.offset();
        }
    }

    private void awaitCommitted(TopicPartition partition, long offset) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (committed(partition) < offset) {
            assertTrue(System.nanoTime() < deadline, "offset " + offset + " of " + partition + " not committed");
            Thread.sleep(100);
        }
        assertEquals(offset, committed(partition));
    }

    private static RecordMetadata publish(TopicPartition partition, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertEquals(4, producer.partitionsFor(partition.topic()).size(), "a pool's job topic has 4 partitions");
            return producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, value)).get();
        }
    }
}
