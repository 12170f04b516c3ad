package dev.optbench.orchestrator.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Await;
import dev.optbench.orchestrator.support.Broker;
import dev.optbench.orchestrator.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class RunSubmissionTest {

    @Test
    void storesAValidSpecAndPublishesOneJobPerTrialOnThePoolsTopic() {
        String pool = Api.uniquePool();
        UUID runId = Api.submitted("""
                {"name": "submission-%s", "pool": "%s",
                 "models": [{"ref": "synthetic:tiny", "quantizations": ["F16", "Q4_0"]}],
                 "variants": [{"name": "fa", "flags": {"--flash-attn": null, "--threads": 2}}],
                 "sweep": {"name": "ctx", "axes": {"--ctx-size": [256, 512]}},
                 "workload": {"prompts": "builtin:classification", "repetitions": 2},
                 "quality": {"perplexity": {"corpus": "builtin:sample-text"}}}""".formatted(pool, pool));

        var run = Api.run(runId);
        assertEquals(4, run.getList("variants").size());
        assertEquals(2, run.getList("artifacts").size());
        assertEquals(8, run.getList("trials").size());
        assertEquals(48, run.getInt("workload.samplesPerTrial"));
        Set<String> trialIds = new HashSet<>(run.getList("trials.id", String.class));

        List<ConsumerRecord<String, String>> jobs = Broker.await(Topics.jobs(pool), r -> true, 8, Duration.ofSeconds(60));
        assertEquals(8, jobs.size());
        Set<String> keys = new HashSet<>();
        Set<Integer> places = new HashSet<>();
        for (ConsumerRecord<String, String> record : jobs) {
            TrialJob job = Messages.fromJson(record.value(), TrialJob.class);
            keys.add(record.key());
            places.add(job.trialIndex());
            assertEquals(8, job.trialCount(), "each job says how many trials its run has");
            assertEquals(record.key(), job.trialId().toString());
            assertEquals(runId, job.runId());
            assertEquals(24, job.workload().conversations().size());
            boolean firstArtifact = "F16".equals(job.artifact().quantization());
            if (firstArtifact) {
                assertNull(job.baselineArtifact(), "the first artifact is the KL-divergence base itself");
            } else {
                assertEquals("F16", job.baselineArtifact().quantization());
            }
            assertEquals(job.variant().baseline() ? "builtin:sample-text" : null, job.perplexityCorpus());
            if (job.variant().name().equals("fa")) {
                assertEquals("--flash-attn", job.variant().flags().get(0).name());
                assertEquals("on", job.variant().flags().get(0).value());
            }
        }
        assertEquals(trialIds, keys);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), places, "each job says which trial of its run it is");
        Await.until(Duration.ofSeconds(30), () -> Api.run(runId).getList("trials.status", String.class),
                statuses -> statuses.stream().allMatch("DISPATCHED"::equals), "every trial DISPATCHED once its job is published");
        assertEquals(0, Database.count("SELECT count(*) FROM outbox WHERE run_id = ? AND published_at IS NULL", runId));
    }

    static Stream<Arguments> malformedSpecs() {
        String valid = "\"pool\": \"%s\", \"models\": [\"synthetic:tiny\"]";
        return Stream.of(
                Arguments.of("unknown flag", "{\"name\": \"%s\", " + valid + ", \"variants\": [{\"name\": \"a\", \"flags\": {\"--warp-speed\": 9}}]}",
                        "variants[0].flags.--warp-speed", "is not a llama-server flag"),
                Arguments.of("flag the worker owns", "{\"name\": \"%s\", " + valid + ", \"variants\": [{\"name\": \"a\", \"flags\": {}}, {\"name\": \"b\", \"flags\": {\"--port\": 1}}]}",
                        "variants[1].flags.--port", "the worker owns --port"),
                Arguments.of("flag opening tools", "{\"name\": \"%s\", " + valid + ", \"baseline\": {\"flags\": {\"--tools\": \"all\"}}}",
                        "baseline.flags.--tools", "tools"),
                Arguments.of("flag value of the wrong type", "{\"name\": \"%s\", " + valid + ", \"variants\": [{\"name\": \"a\", \"flags\": {\"--threads\": \"four\"}}]}",
                        "variants[0].flags.--threads", "takes an integer"),
                Arguments.of("field of the wrong type", "{\"name\": \"%s\", " + valid + ", \"workload\": {\"rounds\": \"five\"}}",
                        "workload.rounds", "must be an integer"),
                Arguments.of("model path leaving the models directory", "{\"name\": \"%s\", \"pool\": \"%s\", \"models\": [\"../../etc/x.gguf\"]}",
                        "models[0].ref", "inside the models directory"),
                Arguments.of("absurd size", "{\"name\": \"%s\", " + valid + ", \"workload\": {\"repetitions\": 1000000}}",
                        "workload.repetitions", "must be from 1 to"),
                Arguments.of("sweep too large", "{\"name\": \"%s\", " + valid + ", \"sweep\": {\"axes\": {\"--threads\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17], \"--batch-size\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}}}",
                        "sweep.axes", "expands to 289 variants"),
                Arguments.of("unknown field", "{\"name\": \"%s\", " + valid + ", \"workload\": {\"repetitons\": 3}}",
                        "workload.repetitons", "is not a known field"),
                Arguments.of("unknown prompt set", "{\"name\": \"%s\", " + valid + ", \"workload\": {\"prompts\": \"builtin:nope\"}}",
                        "workload.prompts", "is not a shipped prompt set"),
                Arguments.of("malformed JSON", "{\"name\": \"%s\", \"pool\": \"%s\", \"models\": [}",
                        "", "is not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedSpecs")
    void aMalformedSpecGets400NamingTheFieldAndLeavesTheTablesUntouched(String kind, String template, String field, String message) {
        String name = "malformed-" + UUID.randomUUID();
        String pool = Api.uniquePool();
        Api.submit(template.formatted(name, pool)).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("errors.field", hasItem(field))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message))
                .body("detail", containsString(message));
        assertEquals(0, Database.count("SELECT count(*) FROM run WHERE name = ? OR pool = ?", name, pool), kind);
        assertEquals(0, Database.count("SELECT count(*) FROM outbox WHERE topic = ?", Topics.jobs(pool)), kind);
    }

    @Test
    void namesEveryBadFieldAtOnce() {
        String pool = Api.uniquePool();
        var problem = Api.submit("""
                {"name": "many-%s", "pool": "%s", "models": ["/abs.gguf"],
                 "variants": [{"name": "a", "flags": {"--host": "0.0.0.0", "--ctx-size": -5}}],
                 "workload": {"concurrency": [0]}}""".formatted(pool, pool)).then().statusCode(400).extract().jsonPath();
        assertEquals(Set.of("models[0].ref", "variants[0].flags.--host", "variants[0].flags.--ctx-size", "workload.concurrency[0]"),
                new HashSet<>(problem.getList("errors.field", String.class)));
    }

    @Test
    void mutatingRequestsNeedTheApiKeyAndReadsDoNot() {
        String pool = Api.uniquePool();
        String spec = "{\"name\": \"no-key\", \"pool\": \"" + pool + "\", \"models\": [\"synthetic:tiny\"]}";
        given().contentType(ContentType.JSON).body(spec).post("/api/runs").then()
                .statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("X-API-Key"));
        given().header("X-API-Key", "wrong-" + Api.apiKey()).contentType(ContentType.JSON).body(spec).post("/api/runs").then()
                .statusCode(401).body(org.hamcrest.Matchers.not(containsString(Api.apiKey())));
        given().post("/api/runs/" + UUID.randomUUID() + "/cancel").then().statusCode(401);
        assertEquals(0, Database.count("SELECT count(*) FROM run WHERE pool = ?", pool));
        given().get("/api/runs").then().statusCode(200);
    }

    @Test
    void anUnknownRunIsA404Problem() {
        given().get("/api/runs/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json")
                .body("title", is("Run not found"));
        Api.withKey().post("/api/runs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void publishesTheOpenApiDescriptionWithTheApiKeyScheme() {
        String openapi = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertTrue(openapi.contains("X-API-Key"), "security scheme");
        assertTrue(openapi.contains("/api/runs/{id}/export"), "export endpoint");
        assertNotNull(openapi);
    }
}
