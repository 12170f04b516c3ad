package dev.optbench.worker.jobs;

import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.worker.WorkerIdentity;
import dev.optbench.worker.config.WorkerConfig;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.trial.TrialHistory;
import dev.optbench.worker.trial.TrialListener;
import dev.optbench.worker.trial.TrialOutcome;
import dev.optbench.worker.trial.TrialRunner;
import dev.optbench.contracts.messages.TrialProgress;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Takes this worker's pool's jobs from {@code bench.jobs.<pool>}, one trial at a time.
 *
 * <p>A plain {@link KafkaConsumer} rather than a SmallRye {@code @Incoming} channel, because a trial runs for
 * minutes and its offset may only be committed after its results are on {@code bench.results}: the consumer
 * thread takes one record, pauses every assigned partition, and keeps calling {@code poll} (which returns
 * nothing while paused) so the worker stays in its group however long the trial runs — no
 * {@code max.poll.interval.ms} expiry. When the trial's results are published the thread commits that record's
 * offset and resumes. Partitions assigned during a trial are paused at once. A worker killed mid-trial never
 * commits, so the job is redelivered to another worker; the orchestrator's idempotent ingestion keeps the results
 * single.
 *
 * <p>A worker joining the pool mid-trial must not get the trial's partition, or it would read the uncommitted job
 * and run the same trial a second time: {@link JobPartitionAssignor} keeps that partition with this worker. Should
 * it move anyway (a group led by an older build's cooperative-sticky assignor, or this worker losing its
 * membership), the trial is abandoned before the partition changes hands: its server stopped, nothing published,
 * nothing committed, so the partition's new owner runs it once. A trial already publishing its results finishes
 * and is committed first.
 */
@ApplicationScoped
public class JobConsumer {
    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How much longer than the server's stop grace a hand-over waits for the trial to end. */
    private static final Duration HAND_OVER_MARGIN = Duration.ofSeconds(5);
    /** How long a hand-over waits for results already being published (one send's own timeout). */
    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(60);

    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final TrialRunner runner;
    private final KafkaPublisher publisher;
    private final CancelledRuns cancelledRuns;
    private final TrialHistory history;
    private final MeterRegistry meters;
    private final ResultDelivery delivery = new ResultDelivery(() -> this.running);
    private final ExecutorService trialThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "optbench-trial"));
    private volatile boolean running;
    private volatile InFlight inFlight;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean healthy = true;
    private volatile String lastError;
    private Thread thread;

    @Inject
    public JobConsumer(WorkerConfig config, WorkerIdentity identity, TrialRunner runner, KafkaPublisher publisher,
                       CancelledRuns cancelledRuns, TrialHistory history, MeterRegistry meters) {
        this.config = config;
        this.identity = identity;
        this.runner = runner;
        this.publisher = publisher;
        this.cancelledRuns = cancelledRuns;
        this.history = history;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.joinPool()) {
            LOG.info("optbench.worker.join-pool is false: not consuming jobs");
            return;
        }
        running = true;
        thread = new Thread(this::loop, "optbench-jobs");
        thread.start();
        LOG.infof("worker %s consumes %s as group %s", identity.id(), identity.jobsTopic(), identity.jobsGroup());
    }

    /** Stops taking jobs; a trial in flight is abandoned uncommitted, so another worker redoes it. */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        Cancellation current = cancelledRuns.current();
        if (current != null) {
            current.abandon("the worker is shutting down");
        }
        KafkaConsumer<String, String> active = consumer;
        if (active != null) {
            active.wakeup();
        }
        trialThread.shutdown();
        trialThread.awaitTermination(config.server().stopGrace().toMillis() + 5000, TimeUnit.MILLISECONDS);
        if (thread != null) {
            thread.join(10_000);
        }
    }

    public boolean healthy() {
        return healthy && (!running || (thread != null && thread.isAlive()));
    }

    public String lastError() {
        return lastError;
    }

    /** The trial this worker runs now, if any. */
    public Optional<UUID> trialInFlight() {
        InFlight trial = inFlight;
        return trial == null ? Optional.empty() : Optional.of(trial.job().trialId());
    }

    /** The partition of the trial in flight, which {@link JobPartitionAssignor} keeps with this worker. */
    private Set<TopicPartition> inFlightPartitions() {
        InFlight trial = inFlight;
        return trial == null || trial.stage().get() == Stage.HANDED_OVER ? Set.of() : Set.of(trial.partition());
    }

    private void loop() {
        try (KafkaConsumer<String, String> jobs = new KafkaConsumer<>(properties())) {
            consumer = jobs;
            jobs.subscribe(List.of(identity.jobsTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    handOver(jobs, partitions, false);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    handOver(jobs, partitions, true);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (inFlight != null) {
                        jobs.pause(partitions);
                    }
                }
            });
            while (running) {
                if (inFlight != null) {
                    jobs.poll(POLL);
                    if (inFlight.result().isDone()) {
                        finish(jobs, inFlight);
                        inFlight = null;
                    }
                    continue;
                }
                for (ConsumerRecord<String, String> record : jobs.poll(POLL)) {
                    inFlight = take(jobs, record);
                    if (inFlight != null) {
                        break;
                    }
                }
            }
        } catch (WakeupException stopping) {
            LOG.debug("job consumer stopped");
        } catch (RuntimeException e) {
            healthy = false;
            lastError = e.toString();
            LOG.error("the job consumer failed", e);
        }
    }

    /**
     * The trial's partition goes to another member (or is lost with this worker's membership): unless its results
     * are being published, abandon the trial so that only the new owner runs it, and wait until its server has
     * stopped. Results being published are waited for and committed while the partition is still ours.
     */
    private void handOver(KafkaConsumer<String, String> jobs, Collection<TopicPartition> partitions, boolean lost) {
        InFlight trial = inFlight;
        if (!running || trial == null || !partitions.contains(trial.partition())) {
            return;
        }
        if (trial.stage().compareAndSet(Stage.RUNNING, Stage.HANDED_OVER)) {
            LOG.warnf("partition %s %s during trial %s: abandoning the trial uncommitted, its new owner runs it", trial.partition(),
                    lost ? "was lost" : "moved to another worker", trial.job().trialId());
            trial.cancellation().abandon("the job's partition moved to another worker");
        }
        Duration wait = trial.stage().get() == Stage.HANDED_OVER ? config.server().stopGrace().plus(HAND_OVER_MARGIN) : PUBLISH_WAIT;
        try {
            TrialOutcome outcome = trial.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (trial.stage().get() == Stage.PUBLISHING && !outcome.abandoned() && !lost) {
                commit(jobs, trial.partition(), trial.offset());
                trial.stage().set(Stage.COMMITTED);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.errorf("trial %s did not end within %s after its partition %s moved; its offset is left to the new owner",
                    trial.job().trialId(), wait, trial.partition());
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warnf("trial %s ended with %s as its partition %s moved; left uncommitted", trial.job().trialId(), e.getCause(), trial.partition());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the trial of a record, or dead-letters an unreadable one; returns the trial in flight, or null. */
    private InFlight take(KafkaConsumer<String, String> jobs, ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        TrialJob job;
        try {
            job = Messages.fromJson(record.value(), TrialJob.class);
            if (job.trialId() == null || job.runId() == null || job.artifact() == null || job.variant() == null
                    || job.workload() == null || job.workload().conversations() == null || job.workload().conversations().isEmpty()) {
                throw new MalformedMessageException("a TrialJob needs runId, trialId, artifact, variant and a workload with conversations");
            }
        } catch (MalformedMessageException e) {
            LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            try {
                publisher.deadLetter(record, e.getMessage());
                commit(jobs, partition, record.offset());
            } catch (Exception publishFailed) {
                throw new IllegalStateException("cannot dead-letter an unreadable job", publishFailed);
            }
            return null;
        }
        jobs.pause(jobs.assignment());
        Cancellation cancellation = cancelledRuns.begin(job.runId());
        LOG.infof("trial %s of run %s (%s, %s) from %s-%d@%d", job.trialId(), job.runId(), job.variant().name(),
                job.artifact().label(), record.topic(), record.partition(), record.offset());
        AtomicReference<Stage> stage = new AtomicReference<>(Stage.RUNNING);
        TrialJob taken = job;
        Future<TrialOutcome> result = trialThread.submit(() -> runAndPublish(taken, cancellation, stage));
        return new InFlight(partition, record.offset(), job, cancellation, stage, result);
    }

    private TrialOutcome runAndPublish(TrialJob job, Cancellation cancellation, AtomicReference<Stage> stage) throws Exception {
        try {
            TrialOutcome outcome = runner.run(job, cancellation, new TrialListener() {
                @Override
                public void progress(TrialProgress progress) {
                    publisher.publishEvent(progress);
                }
            });
            history.record(job, outcome, runner.trialDir(job));
            // Losing this race to a hand-over means the partition's new owner runs the trial: publish nothing.
            if (!outcome.abandoned() && stage.compareAndSet(Stage.RUNNING, Stage.PUBLISHING)) {
                delivery.deliver("trial " + job.trialId(), () -> publisher.publishOutcome(outcome));
                count(outcome);
            }
            return outcome;
        } finally {
            cancelledRuns.end();
        }
    }

    /** {@code optbench_worker_trials_total{status}} and {@code optbench_worker_generated_tokens_total}, per pool. */
    private void count(TrialOutcome outcome) {
        meters.counter("optbench.worker.trials", "pool", identity.pool(), "status", outcome.finished().status().name()).increment();
        double tokens = outcome.samples().stream().mapToInt(Sample::completionTokens).sum()
                + (outcome.finished().coldGeneration() == null ? 0 : outcome.finished().coldGeneration().completionTokens());
        meters.counter("optbench.worker.generated.tokens", "pool", identity.pool()).increment(tokens);
    }

    private void finish(KafkaConsumer<String, String> jobs, InFlight trial) {
        try {
            TrialOutcome outcome = trial.result().get();
            switch (trial.stage().get()) {
                case HANDED_OVER -> LOG.infof("trial %s abandoned uncommitted with its partition %s", trial.job().trialId(), trial.partition());
                case PUBLISHING -> {
                    // After a hand-over that outlasted its wait, the offset is the new owner's to commit.
                    if (jobs.assignment().contains(trial.partition())) {
                        commit(jobs, trial.partition(), trial.offset());
                    }
                }
                case COMMITTED -> LOG.debugf("trial %s was committed as its partition moved", trial.job().trialId());
                case RUNNING -> {
                    LOG.infof("trial %s abandoned uncommitted: %s", trial.job().trialId(), outcome.finished().reason());
                    return;
                }
            }
            jobs.resume(jobs.paused());
        } catch (java.util.concurrent.ExecutionException e) {
            if (trial.stage().get() == Stage.HANDED_OVER) {
                jobs.resume(jobs.paused());
                return;
            }
            // Results not published: leave the offset uncommitted and stop, so the job is redone rather than lost.
            healthy = false;
            lastError = "publishing trial " + trial.job().trialId() + " failed: " + e.getCause();
            throw new IllegalStateException(lastError, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void commit(KafkaConsumer<String, String> jobs, TopicPartition partition, long offset) {
        try {
            jobs.commitSync(Map.of(partition, new OffsetAndMetadata(offset + 1)));
        } catch (org.apache.kafka.clients.consumer.CommitFailedException | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            LOG.warnf("offset %d of %s not committed (%s); the job may be redone elsewhere and ingested once", offset, partition, e.getMessage());
        }
    }

    Properties properties() {
        Properties props = new Properties();
        long sessionMillis = config.sessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionMillis);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1000, sessionMillis / 3));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, identity.jobsGroup());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "optbench-worker-" + identity.id());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // Cooperative-sticky second, so that a group with workers of an older build still agrees on an assignor.
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                List.of(JobPartitionAssignor.class.getName(), CooperativeStickyAssignor.class.getName()));
        props.put(JobPartitionAssignor.IN_FLIGHT_CONFIG, (Supplier<Set<TopicPartition>>) this::inFlightPartitions);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /** Who settles a trial: its own thread publishing it, or a hand-over of its partition abandoning it first. */
    private enum Stage { RUNNING, PUBLISHING, HANDED_OVER, COMMITTED }

    private record InFlight(TopicPartition partition, long offset, TrialJob job, Cancellation cancellation,
                            AtomicReference<Stage> stage, Future<TrialOutcome> result) {
    }
}
