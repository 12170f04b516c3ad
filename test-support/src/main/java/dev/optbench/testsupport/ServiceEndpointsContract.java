package dev.optbench.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/**
 * What every OptBench service answers: health UP against its real dependencies, Prometheus metrics and OpenAPI.
 * A service's {@code @QuarkusTest} extends this.
 */
public abstract class ServiceEndpointsContract {

    @Test
    void healthIsUpAgainstTheRealInfrastructure() {
        given().when().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void servesPrometheusMetrics() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void servesOpenApi() {
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
    }
}
