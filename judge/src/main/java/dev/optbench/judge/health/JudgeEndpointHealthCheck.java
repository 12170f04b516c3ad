package dev.optbench.judge.health;

import dev.optbench.judge.idle.IdleTrialsGate;
import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeModels;
import dev.optbench.judge.scoring.JudgeMetrics;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Whether the default judge endpoint answers (and, for Ollama, has the model). A wellness check: it shows in
 * {@code /q/health} and {@code /q/health/well}, not in readiness or liveness, because a judge that is down
 * leaves the service working (requests wait and are judged when it comes back), not broken.
 */
@Wellness
@ApplicationScoped
public class JudgeEndpointHealthCheck implements HealthCheck {
    private final JudgeModels models;
    private final JudgeMetrics metrics;
    private final IdleTrialsGate idleTrials;
    private final JudgeEndpointProbe probe = new JudgeEndpointProbe();

    public JudgeEndpointHealthCheck(JudgeModels models, JudgeMetrics metrics, IdleTrialsGate idleTrials) {
        this.models = models;
        this.metrics = metrics;
        this.idleTrials = idleTrials;
    }

    @Override
    public HealthCheckResponse call() {
        JudgeEndpoint endpoint = models.defaultEndpoint();
        JudgeEndpointProbe.Probe result = probe.probe(endpoint);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("default judge endpoint")
                .status(result.answers() && !Boolean.FALSE.equals(result.modelAvailable()))
                .withData("judgeModel", endpoint.judgeModel())
                .withData("baseUrl", endpoint.baseUrl())
                .withData("answers", result.answers())
                .withData("detail", result.detail())
                .withData("requestsInProgress", metrics.inProgress().get())
                .withData("requestsSetAside", metrics.setAside().get())
                .withData("waitForIdleTrials", idleTrials.enabled());
        if (result.modelAvailable() != null) {
            response.withData("modelAvailable", result.modelAvailable());
        }
        return response.build();
    }
}
