package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.orchestrator.metrics.OrchestratorMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * How every consumed batch is ingested: each record is read with {@code Messages.fromJson} (malformed records and
 * other schema versions become dead letters with the reason), the readable ones are stored in one transaction,
 * and the records the store refuses become dead letters. When the batch's transaction fails for a reason that
 * retrying cannot fix, the records are stored one by one so that one bad record cannot hold back the others;
 * when the database is unreachable the batch is retried with a growing wait (at most {@code MAX_BACKOFF}) until it
 * is back: the records are neither lost nor dead-lettered, and the consumer keeps its place (its offsets are not
 * committed meanwhile). Giving up instead would stop the channel for good after a database restart.
 */
@ApplicationScoped
public class BatchIngestion {
    private static final Logger LOG = Logger.getLogger(BatchIngestion.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final DeadLetters deadLetters;
    private final OrchestratorMetrics metrics;
    private final Duration firstBackoff;
    private final Duration maxBackoff;

    @Inject
    public BatchIngestion(DeadLetters deadLetters, OrchestratorMetrics metrics) {
        this(deadLetters, metrics, FIRST_BACKOFF, MAX_BACKOFF);
    }

    BatchIngestion(DeadLetters deadLetters, OrchestratorMetrics metrics, Duration firstBackoff, Duration maxBackoff) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    public <T> void ingest(List<ConsumerRecord<String, String>> records, Class<T> type, BatchStore<T> store) {
        List<Parsed<T>> parsed = new ArrayList<>(records.size());
        List<Rejection> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.value() == null) {
                rejected.add(new Rejection(record, "the record has no value"));
                continue;
            }
            try {
                parsed.add(new Parsed<>(record, Messages.fromJson(record.value(), type)));
            } catch (MalformedMessageException e) {
                rejected.add(new Rejection(record, "malformed " + type.getSimpleName() + ": " + e.getMessage()));
            }
        }
        if (!parsed.isEmpty()) {
            try {
                rejected.addAll(withRetries(() -> QuarkusTransaction.requiringNew().call(() -> store.store(parsed))));
            } catch (RuntimeException e) {
                LOG.warnf(e, "a batch of %d %s message(s) could not be stored together; storing them one by one", parsed.size(), type.getSimpleName());
                for (Parsed<T> one : parsed) {
                    try {
                        rejected.addAll(withRetries(() -> QuarkusTransaction.requiringNew().call(() -> store.store(List.of(one)))));
                    } catch (RuntimeException single) {
                        rejected.add(new Rejection(one.record(), "could not be stored: " + rootMessage(single)));
                    }
                }
            }
        }
        deadLetters.send(rejected);
        Instant now = Instant.now();
        for (Parsed<T> one : parsed) {
            metrics.ingested(one.record().topic(), Duration.between(Instant.ofEpochMilli(one.record().timestamp()), now));
        }
    }

    /** Runs the work until it succeeds or fails for a reason other than an unreachable database. */
    private <R> R withRetries(java.util.function.Supplier<R> work) {
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                LOG.warnf("ingestion: the database is not reachable (%s); attempt %d in %s", rootMessage(e), attempt + 1, backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** Connection loss, serialization failure, deadlock: worth trying again. */
    static boolean isTransient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("40") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
