package dev.optbench.contracts.messages;

import java.time.Instant;
import java.util.List;

/**
 * Published by a worker on start and every minute: what it can run.
 *
 * @param acceptedFlags every flag its {@code llama-server --help} lists, long and short forms
 * @param modelHub      the hub it downloads {@code hf:} models from, or null when it downloads nothing
 */
public record WorkerCapabilities(
        int schemaVersion,
        String workerId,
        String pool,
        Environment environment,
        List<String> acceptedFlags,
        String modelHub,
        Instant at) implements WorkerEvent {
}
