package dev.optbench.worker.jobs;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/** The app joined to a pool of its own, so the shared test broker's other traffic never reaches it. */
public class JoinedPoolProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        String unique = UUID.randomUUID().toString();
        return Map.of(
                "optbench.worker.join-pool", "true",
                "optbench.worker.pool", "test-worker-" + unique,
                "optbench.worker.id", "test-worker-" + unique.substring(0, 8),
                "optbench.worker.work-dir", "target/worker-e2e-" + unique,
                "optbench.worker.results.chunk-samples", "2",
                "optbench.worker.workload.progress-interval", "0s",
                "optbench.worker.cancellation-lookback", "1m",
                "optbench.worker.session-timeout", "7s",
                "optbench.worker.capabilities-interval", "2s");
    }
}
