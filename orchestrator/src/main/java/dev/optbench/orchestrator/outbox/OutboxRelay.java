package dev.optbench.orchestrator.outbox;

import dev.optbench.contracts.messages.Topics;
import dev.optbench.orchestrator.config.OrchestratorConfig;
import dev.optbench.orchestrator.metrics.OrchestratorMetrics;
import dev.optbench.orchestrator.runs.RunService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in id order and marks them published, in one transaction per batch: rows are
 * locked with {@code SKIP LOCKED}, so several orchestrators can relay side by side. A row is marked only after
 * Kafka acknowledged it; when the commit fails after the send, the row is sent again (at least once). Published
 * jobs move their trials from PENDING to DISPATCHED. The relay sleeps until a commit wakes it or the poll interval
 * passes.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final AgroalDataSource dataSource;
    private final KafkaPublisher publisher;
    private final OrchestratorMetrics metrics;
    private final OrchestratorConfig.Outbox config;
    private final RunService runs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private volatile boolean running;
    private boolean woken;
    private Thread thread;
    private Instant lastCleanup = Instant.EPOCH;

    private record Row(long id, String topic, String key, String payload, UUID trialId, Instant createdAt) {
    }

    public OutboxRelay(AgroalDataSource dataSource, KafkaPublisher publisher, OrchestratorMetrics metrics, OrchestratorConfig config,
                       RunService runs) {
        this.runs = runs;
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config.outbox();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake();
        if (thread != null) {
            thread.join(Duration.ofSeconds(10));
        }
    }

    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        wake();
    }

    private void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (running) {
            try {
                int published = QuarkusTransaction.requiringNew().call(this::publishBatch);
                if (published < config.batchSize()) {
                    cleanUpPublished();
                    await(config.pollInterval());
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "outbox relay: publishing failed; trying again in %s", config.retryDelay());
                await(config.retryDelay());
            }
        }
    }

    private void await(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!woken && running && nanos > 0) {
                nanos = wakeUp.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One batch, inside the caller's transaction; returns how many rows it settled. A retriable Kafka error fails
     * the whole batch (tried again later); a refusal that retrying cannot change is recorded on its row, and a
     * refused job fails its trial, so one bad message never holds back the rows behind it.
     */
    private int publishBatch() throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            List<Row> rows = lockUnpublished(connection);
            if (rows.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Future<RecordMetadata> send = publisher.send(new ProducerRecord<>(row.topic(), row.key(), row.payload()));
                failFastWhenUnavailable(row, send);
                sends.add(send);
            }
            publisher.flush();
            List<Row> published = new ArrayList<>();
            Map<Row, String> refused = new LinkedHashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                try {
                    sends.get(i).get();
                    published.add(rows.get(i));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RetriableException) {
                        throw new IllegalStateException("Kafka did not acknowledge " + rows.get(i).topic() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                    refused.put(rows.get(i), e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
                }
            }
            markPublished(connection, published);
            refuse(connection, refused);
            Instant now = Instant.now();
            published.forEach(row -> metrics.dispatched(kind(row.topic()), Duration.between(row.createdAt(), now)));
            LOG.debugf("outbox relay: published %d message(s), %d refused", published.size(), refused.size());
            return rows.size();
        }
    }

    private List<Row> lockUnpublished(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, topic, message_key, payload, trial_id, created_at FROM outbox WHERE published_at IS NULL AND refused_at IS NULL "
                        + "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, UUID.class), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return rows;
    }

    private static void markPublished(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        UUID[] trials = rows.stream().filter(r -> r.trialId() != null && r.topic().startsWith(Topics.JOBS_PREFIX))
                .map(Row::trialId).toArray(UUID[]::new);
        try (PreparedStatement mark = connection.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY(?)");
             PreparedStatement dispatch = connection.prepareStatement(
                     "UPDATE trial SET status = 'DISPATCHED' WHERE id = ANY(?) AND status = 'PENDING'")) {
            mark.setArray(1, connection.createArrayOf("bigint", ids));
            mark.executeUpdate();
            if (trials.length > 0) {
                dispatch.setArray(1, connection.createArrayOf("uuid", trials));
                dispatch.executeUpdate();
            }
        }
    }

    /** A send that failed at once for lack of the topic's metadata: the rest of the batch would wait just as long. */
    private static void failFastWhenUnavailable(Row row, Future<RecordMetadata> send) throws InterruptedException {
        if (!send.isDone()) {
            return;
        }
        try {
            send.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                throw new IllegalStateException("Kafka is not available for " + row.topic() + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private void refuse(Connection connection, Map<Row, String> refused) throws SQLException {
        if (refused.isEmpty()) {
            return;
        }
        try (PreparedStatement refuse = connection.prepareStatement("UPDATE outbox SET refused_at = now(), refusal = ? WHERE id = ?")) {
            for (Map.Entry<Row, String> entry : refused.entrySet()) {
                refuse.setString(1, entry.getValue());
                refuse.setLong(2, entry.getKey().id());
                refuse.addBatch();
                LOG.errorf("outbox relay: Kafka refused message %d for %s for good: %s", entry.getKey().id(), entry.getKey().topic(), entry.getValue());
            }
            refuse.executeBatch();
        }
        refused.forEach((row, refusal) -> {
            if (row.trialId() != null && row.topic().startsWith(Topics.JOBS_PREFIX)) {
                runs.failUndispatchable(row.trialId(), "Kafka refused the trial's job: " + refusal);
            }
        });
    }

    /** Deletes published and refused rows older than the retention, at most once an hour. */
    private void cleanUpPublished() {
        Instant now = Instant.now();
        if (Duration.between(lastCleanup, now).compareTo(Duration.ofHours(1)) < 0) {
            return;
        }
        lastCleanup = now;
        int deleted = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE published_at < ? OR refused_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(now.minus(config.retention())));
                delete.setTimestamp(2, Timestamp.from(now.minus(config.retention())));
                return delete.executeUpdate();
            }
        });
        LOG.debugf("outbox relay: deleted %d published row(s) older than %s", deleted, config.retention());
    }

    private static String kind(String topic) {
        return topic.startsWith(Topics.JOBS_PREFIX) ? "jobs" : topic;
    }

}
