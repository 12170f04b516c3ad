package dev.optbench.orchestrator.searches;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Broker;
import dev.optbench.orchestrator.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The searches API against the real broker and database: what a search stores and queues, and what it refuses. */
@QuarkusTest
class SearchApiTest {

    private static String spec(String pool, String budget) {
        return """
                {"name": "search-%s", "pool": "%s", "models": ["synthetic:tiny"],
                 "space": {"flags": {"--flash-attn": ["on", "off"], "--threads": {"from": 1, "to": 2}},
                           "quantizations": ["F16", "Q8_0"], "pruneLevels": [2]},
                 "objective": "maxGenerationTokensPerSecond",
                 "constraints": {"maxKlDivergence": 0.001},
                 "budget": %s,
                 "workload": {"prompts": "builtin:classification", "maxTokens": 48}}""".formatted(pool, pool, budget);
    }

    @Test
    void aSearchStoresItsScreeningRunWithTheBaselinesFlagsOnEveryArtifact() {
        String pool = Api.uniquePool();
        JsonPath search = Api.withKey().contentType(ContentType.JSON).body(spec(pool, "{\"trials\": 12}"))
                .post("/api/searches").then().statusCode(201).extract().jsonPath();
        assertEquals("RUNNING", search.getString("status"));
        assertEquals("SCREEN", search.getString("phase"));
        assertEquals(12, search.getInt("result.spaceSize"));
        assertEquals(1, search.getList("runs").size());
        UUID runId = UUID.fromString(search.getString("runs[0].runId"));

        JsonPath run = Api.run(runId);
        assertTrue(run.getString("name").endsWith(" · screen 1"), run.getString("name"));
        assertEquals(3, run.getList("trials").size(), "one trial per artifact: F16, Q8_0 and the model with 2 blocks dropped");
        assertEquals(1, Database.count("SELECT count(*) FROM search_run WHERE search_id = ? AND run_id = ?",
                UUID.fromString(search.getString("id")), runId));

        List<ConsumerRecord<String, String>> jobs = Broker.await(Topics.jobs(pool), r -> true, 3, Duration.ofSeconds(60));
        Set<String> artifacts = new HashSet<>();
        Set<Integer> places = new HashSet<>();
        for (ConsumerRecord<String, String> record : jobs) {
            TrialJob job = Messages.fromJson(record.value(), TrialJob.class);
            places.add(job.trialIndex());
            assertEquals(3, job.trialCount(), "the run's trials are the ones the search chose, not its variants × artifacts");
            assertTrue(job.variant().baseline(), "screening runs the baseline's flags");
            assertEquals("builtin:sample-text", job.perplexityCorpus(), "screening measures perplexity and KLD");
            artifacts.add(job.artifact().quantization() + "/" + job.artifact().pruneLayers());
        }
        assertEquals(Set.of("F16/0", "Q8_0/0", "null/2"), artifacts);
        assertEquals(Set.of(0, 1, 2), places);
        given().get("/api/searches").then().statusCode(200).body("id", hasItem(search.getString("id")));
    }

    @Test
    void aBudgetTooSmallForScreeningAndOneFinalRoundIsRefusedWithTheReason() {
        Api.withKey().contentType(ContentType.JSON).body(spec(Api.uniquePool(), "{\"trials\": 4}"))
                .post("/api/searches").then().statusCode(400)
                .body("errors.field", hasItem("budget.trials"))
                .body("detail", containsString("3 screening trial(s)"));
    }

    @Test
    void everyBadFieldIsNamed() {
        String body = """
                {"name": "bad", "pool": "cpu", "models": ["../escape.gguf"],
                 "space": {"flags": {"--port": [1, 2], "--threads": {"from": 4, "to": 1}}, "quantizations": ["Q9_9"]},
                 "objective": "fastest", "budget": {"trials": 10}}""";
        JsonPath problem = Api.withKey().contentType(ContentType.JSON).body(body).post("/api/searches")
                .then().statusCode(400).extract().jsonPath();
        List<String> fields = problem.getList("errors.field", String.class);
        for (String field : List.of("models[0]", "space.flags.--port[0]", "space.flags.--threads", "space.quantizations[0]", "objective")) {
            assertTrue(fields.contains(field), field + " not in " + fields);
        }
    }

    @Test
    void aMisspeltConstraintIsAnErrorNotADroppedConstraint() {
        String body = spec(Api.uniquePool(), "{\"trials\": 12}").replace("maxKlDivergence", "maxKlDivergense");
        Api.withKey().contentType(ContentType.JSON).body(body).post("/api/searches").then().statusCode(400)
                .body("errors.field", hasItem("constraints.maxKlDivergense"));
    }

    @Test
    void anUnknownSearchIsA404AndCancellingItTwiceIsA409() {
        given().get("/api/searches/" + UUID.randomUUID()).then().statusCode(404).body("title", is("Search not found"));
        String id = Api.withKey().contentType(ContentType.JSON).body(spec(Api.uniquePool(), "{\"trials\": 12}"))
                .post("/api/searches").then().statusCode(201).extract().path("id");
        Api.withKey().post("/api/searches/" + id + "/cancel").then().statusCode(200).body("status", is("CANCELLED"));
        Api.withKey().post("/api/searches/" + id + "/cancel").then().statusCode(409);
        given().get("/api/searches/" + id).then().statusCode(200).body("status", is("CANCELLED"));
    }
}
