package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.List;

/**
 * Published by a worker on start and every minute: what it can run.
 *
 * @param acceptedFlags every flag its {@code llama-server --help} lists, long and short forms
 */
public record WorkerCapabilities(
        int schemaVersion,
        String workerId,
        String pool,
        Environment environment,
        List<String> acceptedFlags,
        Instant at) implements WorkerEvent {
}
