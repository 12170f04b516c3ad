package dev.optbench.orchestrator.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Await;
import dev.optbench.orchestrator.support.Broker;
import dev.optbench.orchestrator.support.Database;
import dev.optbench.orchestrator.support.WorkerMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class QueriesTest {

    private static UUID finishedRun(String name, String pool, String variantFlags, double latency) {
        UUID runId = Api.submitted("""
                {"name": "%s", "pool": "%s", "models": ["synthetic:tiny"],
                 "variants": [{"name": "tuned", "flags": %s}],
                 "workload": {"conversations": [["Hi, \\"quoted\\", with commas", "Next"]]}}""".formatted(name, pool, variantFlags));
        for (String id : Api.trialIds(runId)) {
            UUID trial = UUID.fromString(id);
            Broker.send(Topics.RESULTS, id, Messages.toJson(WorkerMessages.chunk(runId, trial, 0, WorkerMessages.samples(trial, 1, 2, latency, "answer"))));
            Broker.send(Topics.RESULTS, id, Messages.toJson(WorkerMessages.finished(runId, trial, TrialStatus.SUCCEEDED, 2)));
        }
        Api.awaitRunStatus(runId, "COMPLETED");
        return runId;
    }

    @Test
    void listsRunsByNameModelPoolStatusFlagAndDateInPages() {
        String prefix = "list-" + UUID.randomUUID();
        String pool = Api.uniquePool();
        UUID first = finishedRun(prefix + "-a", pool, "{\"--cache-type-k\": \"q8_0\"}", 100);
        UUID second = Api.submitted("""
                {"name": "%s-b", "pool": "%s", "models": ["synthetic:tiny"], "variants": [{"name": "fa", "flags": {"-fa": null}}]}"""
                .formatted(prefix, Api.uniquePool()));

        given().queryParam("name", prefix.toUpperCase()).get("/api/runs").then().statusCode(200).body("total", is(2));
        given().queryParam("name", prefix).queryParam("size", 1).get("/api/runs").then()
                .body("total", is(2)).body("items.size()", is(1)).body("items[0].id", is(second.toString()));
        given().queryParam("name", prefix).queryParam("size", 1).queryParam("page", 1).get("/api/runs").then()
                .body("items[0].id", is(first.toString()));
        given().queryParam("name", prefix).queryParam("pool", pool).get("/api/runs").then()
                .body("total", is(1)).body("items[0].trialsByStatus.SUCCEEDED", is(2)).body("items[0].models", hasItem("synthetic:tiny"));
        given().queryParam("name", prefix).queryParam("status", "completed").get("/api/runs").then().body("total", is(1));
        given().queryParam("name", prefix).queryParam("flag", "--flash-attn").get("/api/runs").then()
                .body("total", is(1)).body("items[0].id", is(second.toString()));
        given().queryParam("name", prefix).queryParam("flag", "-ctk=q8_0").get("/api/runs").then()
                .body("total", is(1)).body("items[0].id", is(first.toString()));
        given().queryParam("name", prefix).queryParam("flag", "--cache-type-k=f16").get("/api/runs").then().body("total", is(0));
        given().queryParam("name", prefix).queryParam("model", "TINY").get("/api/runs").then().body("total", is(2));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        given().queryParam("name", prefix).queryParam("from", today).queryParam("to", today).get("/api/runs").then().body("total", is(2));
        given().queryParam("name", prefix).queryParam("to", Instant.now().minus(Duration.ofDays(1)).toString()).get("/api/runs").then()
                .body("total", is(0));
        given().queryParam("status", "SLEEPING").get("/api/runs").then().statusCode(400).body("errors[0].field", is("status"));
        given().queryParam("size", 100000).get("/api/runs").then().statusCode(400).body("errors[0].field", is("size"));
    }

    @Test
    void pagesSamplesAndExportsOneRowPerSampleOrPerTrialAsCsvAndJson() {
        UUID runId = finishedRun("export-" + UUID.randomUUID(), Api.uniquePool(), "{\"--threads\": 2}", 100);
        given().queryParam("size", 3).get("/api/runs/" + runId + "/samples").then().statusCode(200)
                .body("total", is(4)).body("items.size()", is(3)).body("items[0].variant", is("Baseline"))
                .body("items[0].latencyMillis", is(100.0f));

        String csv = given().queryParam("format", "csv").queryParam("level", "sample").get("/api/runs/" + runId + "/export").then()
                .statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("attachment")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals(5, lines.size(), csv);
        assertTrue(lines.get(0).startsWith("runId,trialId,variant,baseline,artifact,trialStatus,sampleId"), lines.get(0));

        JsonPath samples = given().queryParam("format", "json").queryParam("level", "sample").get("/api/runs/" + runId + "/export")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(4, samples.getList("").size());
        assertEquals("answer r0 t1", samples.getString("find { it.variant == 'Baseline' && it.round == 1 }.answer"));

        String trialCsv = given().queryParam("format", "csv").queryParam("level", "trial").get("/api/runs/" + runId + "/export")
                .then().statusCode(200).extract().asString();
        assertEquals(3, trialCsv.lines().count(), trialCsv);
        assertTrue(trialCsv.lines().findFirst().orElseThrow().contains("latencyMillisP50,latencyMillisP50ChangePercent,latencyMillisP50Better"));
        JsonPath trials = given().queryParam("format", "json").queryParam("level", "trial").get("/api/runs/" + runId + "/export")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(100.0, trials.getDouble("find { it.variant == 'tuned' }.latencyMillisP50"), 1e-9);
        assertEquals(0.0, trials.getDouble("find { it.variant == 'tuned' }.latencyMillisP50ChangePercent"), 1e-9);

        given().queryParam("format", "xml").get("/api/runs/" + runId + "/export").then().statusCode(400).body("errors[0].field", is("format"));
        given().get("/api/runs/" + UUID.randomUUID() + "/export").then().statusCode(404);
    }

    @Test
    void comparesRunsTrialByTrialAgainstTheFirst() {
        String pool = Api.uniquePool();
        UUID slow = finishedRun("compare-slow-" + UUID.randomUUID(), pool, "{\"--threads\": 2}", 200);
        UUID fast = finishedRun("compare-fast-" + UUID.randomUUID(), pool, "{\"--threads\": 2}", 100);
        JsonPath comparison = given().queryParam("runs", slow + "," + fast).get("/api/compare").then().statusCode(200).extract().jsonPath();
        assertEquals(2, comparison.getList("runs").size());
        String row = "rows.find { it.label == 'tuned' }";
        assertEquals(200.0, comparison.getDouble(row + ".figures.'" + slow + "'.latencyMillisP50"), 1e-9);
        assertEquals(-50.0, comparison.getDouble(row + ".changeVsFirstRun.'" + fast + "'.latencyMillisP50.percent"), 1e-9);
        assertTrue(comparison.getBoolean(row + ".changeVsFirstRun.'" + fast + "'.latencyMillisP50.better"));
        given().queryParam("runs", slow.toString()).get("/api/compare").then().statusCode(400).body("errors[0].field", is("runs"));
    }

    @Test
    void servesTheFlagAllowlistThePromptSetsAndTheWorkersAndValidatesAgainstAPoolsAnnouncedFlags() {
        given().get("/api/flags").then().statusCode(200)
                .body("allowed.name", hasItem("--threads"))
                .body("allowed.find { it.name == '--flash-attn' }.aliases", hasItem("-fa"))
                .body("forbidden.find { it.name == '--port' }.reason", containsString("worker owns"));
        given().get("/api/prompt-sets").then().statusCode(200)
                .body("ref", hasItem("builtin:long-context"))
                .body("find { it.name == 'classification' }.hasReferences", is(true))
                .body("find { it.name == 'assistant-mix' }.maxTurns", is(5));
        given().get("/api/prompt-sets/classification").then().statusCode(200).body("conversations.size()", is(24));
        given().get("/api/prompt-sets/nope").then().statusCode(404).contentType("application/problem+json");

        String pool = Api.uniquePool();
        String workerId = "worker-" + UUID.randomUUID();
        WorkerCapabilities capabilities = new WorkerCapabilities(SchemaVersion.CURRENT, workerId, pool,
                new Environment("host", "0.4.0", "abc1234", "cpu", "cpu", 2, List.of(), 2),
                List.of("--threads", "-t", "--ctx-size", "-c", "--flash-attn", "-fa"), null, Instant.now());
        Broker.send(Topics.EVENTS, workerId, Messages.toJson(capabilities));
        Await.until(Duration.ofSeconds(60), () -> given().queryParam("pool", pool).get("/api/workers").then().extract().jsonPath(),
                workers -> workers.getList("id").contains(workerId), "the worker is listed");
        given().queryParam("pool", pool).get("/api/flags").then()
                .body("poolAnnounced", is(true))
                .body("allowed.find { it.name == '--threads' }.acceptedByPool", is(true))
                .body("allowed.find { it.name == '--spec-type' }.acceptedByPool", is(false));

        Api.submit("""
                {"name": "pool-flags", "pool": "%s", "models": ["synthetic:tiny"],
                 "variants": [{"name": "spec", "flags": {"--threads": 2, "--spec-type": "ngram-simple"}}]}""".formatted(pool)).then()
                .statusCode(400).body("errors.field", is(List.of("variants[0].flags.--spec-type")))
                .body("errors[0].message", containsString("not accepted by the llama-server of this pool's workers"));
    }

    @Test
    void aPoolWhoseWorkersAnnounceAModelHubTakesHubModelsAndOthersRefuseThem() {
        String pool = Api.uniquePool();
        String workerId = "worker-" + UUID.randomUUID();
        String spec = """
                {"name": "hub-%s", "pool": "%s", "models": [{"ref": "hf:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M", "prune": {"dropLayers": 1}}]}""";
        Api.submit(spec.formatted(pool, pool)).then().statusCode(400)
                .body("errors.field", is(List.of("models[0].ref")))
                .body("errors[0].message", containsString("OPTBENCH_MODEL_HUB_URL"));
        assertEquals(0, Database.count("SELECT count(*) FROM run WHERE pool = ?", pool), "nothing stored");

        WorkerCapabilities capabilities = new WorkerCapabilities(SchemaVersion.CURRENT, workerId, pool,
                new Environment("host", "0.4.0", "abc1234", "cuda", "cpu", 2, List.of(), 2), List.of("--threads", "-t"),
                "https://huggingface.co/", Instant.now());
        Broker.send(Topics.EVENTS, workerId, Messages.toJson(capabilities));
        Await.until(Duration.ofSeconds(60), () -> given().queryParam("pool", pool).get("/api/workers").then().extract().jsonPath(),
                workers -> workers.getList("id").contains(workerId), "the worker is listed");

        UUID runId = Api.submitted(spec.formatted(pool, pool));
        List<String> refs = Broker.await(Topics.jobs(pool), r -> true, 2, Duration.ofSeconds(60)).stream()
                .map(record -> Messages.fromJson(record.value(), TrialJob.class))
                .peek(job -> assertEquals(runId, job.runId()))
                .map(job -> job.artifact().modelRef()).toList();
        assertEquals(List.of("hf:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M", "hf:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M"), refs,
                "the model and its pruned artifact, each a trial of the baseline");
    }
}
