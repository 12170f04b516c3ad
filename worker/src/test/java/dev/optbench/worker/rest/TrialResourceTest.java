package dev.optbench.worker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.worker.TestWorker;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TrialResourceTest {

    @Test
    void writesTheReplayScriptOfAJobThatDidNotRunHere() {
        TrialJob job = TestWorker.job("fa", false, List.of(new Flag("-fa", null)), TestWorker.tiny("Q4_0", 0),
                TestWorker.smallWorkload(8, 1, List.of(1, 2)));
        given().contentType("application/json").body(Messages.toJson(job))
                .when().post("/api/trials/script")
                .then().statusCode(200)
                .body(containsString("#!/usr/bin/env bash"))
                .body(containsString("'--flash-attn' 'on' '--parallel' '2'"))
                .body(containsString("tiny-llama-f16.Q4_0.gguf"))
                .body(containsString("Plan a three-day trip to Lisbon."));
    }

    @Test
    void refusesAJobWithAForbiddenFlag() {
        TrialJob job = TestWorker.job("tools", false, List.of(new Flag("--tools", "all")), TestWorker.tiny(null, 0),
                TestWorker.smallWorkload(8, 1, List.of(1)));
        given().contentType("application/json").body(Messages.toJson(job))
                .when().post("/api/trials/script")
                .then().statusCode(400).body(containsString("flag --tools is not allowed"));
    }

    @Test
    void aTrialThatDidNotRunHereHasNoScript() {
        given().when().get("/api/trials/" + UUID.randomUUID() + "/script").then().statusCode(404);
    }

    @Test
    void showsTheWorkersCapabilities() {
        given().when().get("/api/worker")
                .then().statusCode(200)
                .body("pool", notNullValue())
                .body("environment.llamaCommit", notNullValue())
                .body("acceptedFlags", hasItems("--flash-attn", "--parallel", "--threads"));
    }
}
