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
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * {@code max.poll.interval.ms} expiry, no rebalance, no second worker starting the same job. When the trial's
 * results are published the thread commits that record's offset and resumes. Partitions assigned during a
 * trial are paused at once. A worker killed mid-trial never commits, so the job is redelivered to another
 * worker; the orchestrator's idempotent ingestion keeps the results single.
 */
@ApplicationScoped
public class JobConsumer {
    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

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

    private void loop() {
        try (KafkaConsumer<String, String> jobs = new KafkaConsumer<>(properties())) {
            consumer = jobs;
            InFlight[] inFlight = new InFlight[1];
            jobs.subscribe(List.of(identity.jobsTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (inFlight[0] != null && partitions.contains(inFlight[0].partition())) {
                        LOG.warnf("partition %s was revoked during trial %s; its offset cannot be committed here",
                                inFlight[0].partition(), inFlight[0].job().trialId());
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (inFlight[0] != null) {
                        jobs.pause(partitions);
                    }
                }
            });
            while (running) {
                if (inFlight[0] != null) {
                    jobs.poll(POLL);
                    if (inFlight[0].result().isDone()) {
                        finish(jobs, inFlight[0]);
                        inFlight[0] = null;
                    }
                    continue;
                }
                for (ConsumerRecord<String, String> record : jobs.poll(POLL)) {
                    inFlight[0] = take(jobs, record);
                    if (inFlight[0] != null) {
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
        TrialJob taken = job;
        Future<TrialOutcome> result = trialThread.submit(() -> runAndPublish(taken, cancellation));
        return new InFlight(partition, record.offset(), job, result);
    }

    private TrialOutcome runAndPublish(TrialJob job, Cancellation cancellation) throws Exception {
        try {
            TrialOutcome outcome = runner.run(job, cancellation, new TrialListener() {
                @Override
                public void progress(TrialProgress progress) {
                    publisher.publishEvent(progress);
                }
            });
            history.record(job, outcome, runner.trialDir(job));
            if (!outcome.abandoned()) {
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
            if (outcome.abandoned()) {
                LOG.infof("trial %s abandoned uncommitted: %s", trial.job().trialId(), outcome.finished().reason());
                return;
            }
            commit(jobs, trial.partition(), trial.offset());
            jobs.resume(jobs.paused());
        } catch (java.util.concurrent.ExecutionException e) {
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
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    private record InFlight(TopicPartition partition, long offset, TrialJob job, Future<TrialOutcome> result) {
    }
}
