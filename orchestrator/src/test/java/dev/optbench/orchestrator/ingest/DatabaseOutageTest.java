package dev.optbench.orchestrator.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.orchestrator.metrics.OrchestratorMetrics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Ingestion outlasts a database that is away for longer than a few retries, instead of stopping its consumer. */
@QuarkusTest
class DatabaseOutageTest {
    /** A message as any topic carries it: with the schema version Messages.fromJson checks. */
    record Note(int schemaVersion, String text) {
    }

    @Inject
    DeadLetters deadLetters;

    @Inject
    OrchestratorMetrics metrics;

    @Test
    void aBatchIsStoredOnceTheDatabaseIsBackHoweverManyAttemptsFailed() {
        BatchIngestion ingestion = new BatchIngestion(deadLetters, metrics, Duration.ofMillis(5), Duration.ofMillis(20));
        AtomicInteger attempts = new AtomicInteger();
        List<String> stored = new ArrayList<>();
        BatchStore<Note> unreachableFor12Attempts = batch -> {
            if (attempts.incrementAndGet() <= 12) {
                throw new IllegalStateException("Unable to acquire JDBC Connection", new SQLTransientConnectionException("refused", "08001"));
            }
            batch.forEach(parsed -> stored.add(parsed.message().text()));
            return List.of();
        };
        List<ConsumerRecord<String, String>> records = List.of(
                new ConsumerRecord<>(Topics.EVENTS, 0, 1, "a", "{\"schemaVersion\": " + SchemaVersion.CURRENT + ", \"text\": \"first\"}"),
                new ConsumerRecord<>(Topics.EVENTS, 0, 2, "b", "{\"schemaVersion\": " + SchemaVersion.CURRENT + ", \"text\": \"second\"}"));

        ingestion.ingest(records, Note.class, unreachableFor12Attempts);

        assertEquals(13, attempts.get(), "tried until the database answered");
        assertEquals(List.of("first", "second"), stored, "every record stored, none dead-lettered");
    }
}
