package dev.optbench.orchestrator.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record and the message read from it. */
public record Parsed<T>(ConsumerRecord<String, String> record, T message) {
}
