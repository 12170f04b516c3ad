package dev.optbench.worker.jobs;

import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.worker.WorkerIdentity;
import dev.optbench.worker.config.WorkerConfig;
import dev.optbench.worker.probes.HostProbe;
import dev.optbench.worker.server.LlamaBinary;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Announces what this worker can run on {@code bench.events}: at start and every
 * {@code optbench.worker.capabilities-interval}.
 */
@ApplicationScoped
public class CapabilitiesPublisher {
    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final LlamaBinary binary;
    private final HostProbe host;
    private final KafkaPublisher publisher;

    @Inject
    public CapabilitiesPublisher(WorkerConfig config, WorkerIdentity identity, LlamaBinary binary, HostProbe host, KafkaPublisher publisher) {
        this.config = config;
        this.identity = identity;
        this.binary = binary;
        this.host = host;
        this.publisher = publisher;
    }

    public WorkerCapabilities capabilities() {
        return new WorkerCapabilities(SchemaVersion.CURRENT, identity.id(), identity.pool(), host.environment(binary, null),
                binary.acceptedFlags(), config.modelHub().url().map(Object::toString).orElse(null), Instant.now());
    }

    void onStart(@Observes StartupEvent event) {
        announce();
    }

    @Scheduled(every = "${optbench.worker.capabilities-interval:60s}", delayed = "${optbench.worker.capabilities-interval:60s}")
    void announce() {
        if (config.joinPool()) {
            publisher.publishEvent(capabilities());
        }
    }
}
