package dev.optbench.worker.health;

import dev.optbench.worker.WorkerIdentity;
import dev.optbench.worker.jobs.CancelledRuns;
import dev.optbench.worker.jobs.JobConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * The worker is alive while its job consumer runs; a consumer that stopped on an error (results it could
 * not publish) reports DOWN so the platform restarts the worker and the uncommitted job is redone.
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {
    private final JobConsumer consumer;
    private final WorkerIdentity identity;
    private final CancelledRuns cancelledRuns;

    @Inject
    public WorkerLiveness(JobConsumer consumer, WorkerIdentity identity, CancelledRuns cancelledRuns) {
        this.consumer = consumer;
        this.identity = identity;
        this.cancelledRuns = cancelledRuns;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("worker")
                .withData("id", identity.id())
                .withData("pool", identity.pool())
                .withData("busy", cancelledRuns.current() != null);
        if (consumer.lastError() != null) {
            response.withData("error", consumer.lastError());
        }
        return response.status(consumer.healthy()).build();
    }
}
