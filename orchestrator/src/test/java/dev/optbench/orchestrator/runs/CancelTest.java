package dev.optbench.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.RunCancelled;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Await;
import dev.optbench.orchestrator.support.Broker;
import dev.optbench.orchestrator.support.Database;
import dev.optbench.orchestrator.support.WorkerMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancelTest {
    private static final String SPEC = """
            {"name": "cancel-%s", "pool": "%s", "models": ["synthetic:tiny"],
             "sweep": {"axes": {"--threads": [1, 2, 3, 4], "--batch-size": [64, 128, 256, 512, 1024]}},
             "workload": {"conversations": [["Hi"]]}}""";

    @Test
    void aCancelledRunStopsDispatchingAndTellsWorkersToAbort() {
        String pool = Api.uniquePool();
        // bench_jobs_<pool> collides with bench.jobs.<pool> ('.' and '_' clash in Kafka topic names), so the broker
        // cannot create the pool's topic: every send fails retriably and the jobs are still in the outbox at the cancel.
        String colliding = Topics.jobs(pool).replace('.', '_');
        Broker.createTopic(colliding, Map.of());
        try {
            UUID runId = Api.submitted(SPEC.formatted(pool, pool));
            JsonPath cancellation = Api.withKey().post("/api/runs/" + runId + "/cancel").then().statusCode(200).extract().jsonPath();

            int trials = 21;
            assertEquals("CANCELLED", cancellation.getString("status"));
            assertEquals(trials, cancellation.getInt("cancelledTrials"));
            assertEquals(trials, cancellation.getInt("droppedJobs"), "every job was still waiting to be dispatched");
            assertEquals(0, Database.count("SELECT count(*) FROM outbox WHERE topic = ?", Topics.jobs(pool)), "no job is left to dispatch");

            List<ConsumerRecord<String, String>> control = Broker.await(Topics.CONTROL, r -> runId.toString().equals(r.key()), 1, Duration.ofSeconds(60));
            assertEquals(runId, Messages.fromJson(control.get(0).value(), RunCancelled.class).runId());
            JsonPath run = Api.run(runId);
            assertEquals(trials, run.getInt("trialsByStatus.CANCELLED"));
            assertEquals("CANCELLED", run.getString("status"));
            Api.withKey().post("/api/runs/" + runId + "/cancel").then().statusCode(409);
        } finally {
            Broker.deleteTopic(colliding);
        }
    }

    @Test
    void cancellingADispatchedRunTellsWorkersAndDropsNothing() {
        String pool = Api.uniquePool();
        UUID runId = Api.submitted(SPEC.formatted(pool, pool));
        assertEquals(21, Broker.await(Topics.jobs(pool), r -> true, 21, Duration.ofSeconds(60)).size());
        Await.until(Duration.ofSeconds(30), () -> Database.count("SELECT count(*) FROM outbox WHERE run_id = ? AND published_at IS NULL", runId),
                n -> n == 0, "every job marked published");
        JsonPath cancellation = Api.withKey().post("/api/runs/" + runId + "/cancel").then().statusCode(200).extract().jsonPath();
        assertEquals(0, cancellation.getInt("droppedJobs"));
        assertEquals(21, cancellation.getInt("cancelledTrials"));
        assertEquals(1, Broker.await(Topics.CONTROL, r -> runId.toString().equals(r.key()), 1, Duration.ofSeconds(60)).size());
    }

    @Test
    void aJobKafkaRefusesForGoodFailsItsTrialWithoutHoldingBackOtherJobs() {
        String refusing = Api.uniquePool();
        Broker.createTopic(Topics.jobs(refusing), Map.of("max.message.bytes", "64"));
        try {
            UUID refused = Api.submitted("""
                    {"name": "refused-%s", "pool": "%s", "models": ["synthetic:tiny"], "workload": {"conversations": [["Hi"]]}}"""
                    .formatted(refusing, refusing));
            String open = Api.uniquePool();
            UUID after = Api.submitted("""
                    {"name": "after-%s", "pool": "%s", "models": ["synthetic:tiny"], "workload": {"conversations": [["Hi"]]}}"""
                    .formatted(open, open));
            JsonPath run = Api.awaitRunStatus(refused, "COMPLETED");
            assertEquals("FAILED", run.getString("trials[0].status"));
            assertTrue(run.getString("trials[0].reason").contains("RecordTooLargeException"), run.getString("trials[0].reason"));
            assertEquals("FAILED", run.getString("summaries[0].status"));
            assertEquals(1, Broker.await(Topics.jobs(open), r -> true, 1, Duration.ofSeconds(60)).size(), "the next run's job is dispatched");
            assertEquals(1, Database.count("SELECT count(*) FROM outbox WHERE run_id = ? AND refused_at IS NOT NULL", refused));
            assertEquals("DISPATCHED", Api.trialStatus(after, Api.trialIds(after).get(0)));
        } finally {
            Broker.deleteTopic(Topics.jobs(refusing));
        }
    }

    @Test
    void resultsArrivingAfterTheCancelAreIgnored() {
        String pool = Api.uniquePool();
        UUID runId = Api.submitted("""
                {"name": "late-%s", "pool": "%s", "models": ["synthetic:tiny"], "workload": {"conversations": [["Hi"]]}}""".formatted(pool, pool));
        UUID trial = UUID.fromString(Api.trialIds(runId).get(0));
        Api.withKey().post("/api/runs/" + runId + "/cancel").then().statusCode(200);
        Broker.send(Topics.RESULTS, trial.toString(), Messages.toJson(WorkerMessages.chunk(runId, trial, 0, WorkerMessages.samples(trial, 1, 1, 10, "late"))));
        Broker.send(Topics.RESULTS, trial.toString(), Messages.toJson(WorkerMessages.finished(runId, trial, TrialStatus.SUCCEEDED, 1)));
        UUID marker = UUID.randomUUID();
        Broker.send(Topics.RESULTS, trial.toString(), Messages.toJson(WorkerMessages.chunk(runId, marker, 0, List.of())));
        Broker.await(Topics.DEAD_LETTER, r -> r.value() != null && r.value().contains(marker.toString()), 1, Duration.ofSeconds(60));
        assertEquals(0, Database.count("SELECT count(*) FROM sample WHERE trial_id = ?", trial));
        assertEquals("CANCELLED", Api.trialStatus(runId, trial.toString()));
        assertEquals("CANCELLED", Api.run(runId).getString("status"));
    }
}
