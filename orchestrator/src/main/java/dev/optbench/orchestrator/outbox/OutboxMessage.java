package dev.optbench.orchestrator.outbox;

import java.util.UUID;

/**
 * A message to publish once the transaction that writes it commits.
 *
 * @param message a contracts record, written with {@code Messages.toJson}
 * @param runId   the run it belongs to, so that cancelling the run can drop it while unpublished
 * @param trialId the trial of a job, which the relay marks DISPATCHED when the job is published
 */
public record OutboxMessage(String topic, String key, Object message, UUID runId, UUID trialId) {
}
