package dev.optbench.orchestrator.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record that cannot be stored, and why; it goes to the dead-letter topic. */
public record Rejection(ConsumerRecord<String, String> record, String reason) {
}
