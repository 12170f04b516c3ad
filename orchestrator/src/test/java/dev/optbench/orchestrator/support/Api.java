package dev.optbench.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** The orchestrator's HTTP API as the tests call it, with the configured API key on mutating requests. */
public final class Api {
    private Api() {
    }

    public static String apiKey() {
        return ConfigProvider.getConfig().getValue("optbench.api-key", String.class);
    }

    public static RequestSpecification withKey() {
        return given().header("X-API-Key", apiKey());
    }

    public static Response submit(String spec) {
        return withKey().contentType(ContentType.JSON).body(spec).post("/api/runs");
    }

    /** Submits a spec that must be valid; returns the run's id. */
    public static UUID submitted(String spec) {
        Response response = submit(spec);
        if (response.statusCode() != 201) {
            throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.asString());
        }
        return UUID.fromString(response.jsonPath().getString("id"));
    }

    public static JsonPath run(UUID id) {
        return given().get("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    public static List<String> trialIds(UUID runId) {
        return run(runId).getList("trials.id", String.class);
    }

    public static String trialStatus(UUID runId, String trialId) {
        return run(runId).getString("trials.find { it.id == '" + trialId + "' }.status");
    }

    public static JsonPath awaitRunStatus(UUID runId, String status) {
        return Await.until(Duration.ofSeconds(60), () -> run(runId), run -> status.equals(run.getString("status")),
                "run " + runId + " becomes " + status);
    }

    public static String uniquePool() {
        return "test-orch-" + UUID.randomUUID();
    }
}
