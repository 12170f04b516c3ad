package dev.optbench.orchestrator.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Await;
import dev.optbench.orchestrator.support.WorkerMessages;
import dev.optbench.orchestrator.support.Broker;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrchestratorMetricsTest {

    @Test
    void exposesRunsSubmittedTrialsByStatusIngestionLagAndDispatchTime() {
        String pool = Api.uniquePool();
        UUID runId = Api.submitted("""
                {"name": "metrics-%s", "pool": "%s", "models": ["synthetic:tiny"], "workload": {"conversations": [["Hi"]]}}""".formatted(pool, pool));
        UUID trial = UUID.fromString(Api.trialIds(runId).get(0));
        Broker.send(Topics.RESULTS, trial.toString(), Messages.toJson(WorkerMessages.chunk(runId, trial, 0, WorkerMessages.samples(trial, 1, 1, 10, "m"))));
        Broker.send(Topics.RESULTS, trial.toString(), Messages.toJson(WorkerMessages.finished(runId, trial, TrialStatus.SUCCEEDED, 1)));
        Api.awaitRunStatus(runId, "COMPLETED");

        String metrics = Await.until(Duration.ofSeconds(60), () -> given().get("/q/metrics").then().statusCode(200).extract().asString(),
                text -> text.contains("optbench_trials{status=\"SUCCEEDED\"}") && !text.contains("optbench_trials{status=\"SUCCEEDED\"} 0.0"),
                "the trials-by-status gauges are refreshed from the database");
        assertTrue(metrics.matches("(?s).*optbench_runs_submitted_total [1-9].*"), "runs submitted");
        assertTrue(metrics.contains("optbench_ingest_lag_seconds_count{topic=\"bench.results\"}"), "ingestion lag");
        assertTrue(metrics.contains("optbench_dispatch_time_seconds_count{kind=\"jobs\"}"), "dispatch time");
        assertTrue(metrics.contains("optbench_samples_stored_total"), "samples stored");
    }
}
