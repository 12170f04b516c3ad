package dev.optbench.bench.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The running OptBench stack the benchmark measures, as {@code ./optbench up} started it with the same
 * environment ({@code OPTBENCH_HOME}, {@code OPTBENCH_PORT_OFFSET}, {@code OPTBENCH_KAFKA_PORT},
 * {@code OPTBENCH_PG_PORT}, and the secrets of {@code $OPTBENCH_HOME/config.env}, which bench/run.sh exports).
 */
final class Stack {
    final Path home = Path.of(required("OPTBENCH_HOME"));
    final int portOffset = Integer.parseInt(env("OPTBENCH_PORT_OFFSET", "0"));
    final String kafkaBootstrap = "127.0.0.1:" + env("OPTBENCH_KAFKA_PORT", "19092");
    final String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + env("OPTBENCH_PG_PORT", "15432") + "/" + env("OPTBENCH_DB_NAME", "optbench");
    final String dbUser = env("OPTBENCH_DB_USER", "optbench");
    final String dbPassword = required("OPTBENCH_DB_PASSWORD");
    final String apiKey = required("OPTBENCH_API_KEY");
    final String pool = env("OPTBENCH_WORKER_POOL", "cpu");
    final Path llamaBinDir = Path.of(required("OPTBENCH_LLAMA_BIN_DIR"));
    final Path modelsDir = Path.of(env("OPTBENCH_MODELS_DIR", home.resolve("models").toString()));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    URI orchestrator(String path) {
        return URI.create("http://127.0.0.1:" + (8080 + portOffset) + path);
    }

    URI viz(String path) {
        return URI.create("http://127.0.0.1:" + (8083 + portOffset) + path);
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    /** The four services, Kafka and PostgreSQL (with its backends), as the launcher's pid files name them. */
    List<ServiceProcess> parts() {
        List<ServiceProcess> parts = new ArrayList<>();
        for (String service : List.of("orchestrator", "worker", "judge", "viz-service")) {
            parts.add(ServiceProcess.fromPidFile(service, home.resolve("pids").resolve(service + ".pid"), false));
        }
        parts.add(ServiceProcess.fromPidFile("kafka", home.resolve("kafka").resolve("kafka.pid"), false));
        parts.add(ServiceProcess.fromPidFile("postgres", home.resolve("postgres").resolve("data").resolve("postmaster.pid"), true));
        return parts.stream().filter(Objects::nonNull).toList();
    }

    ServiceProcess part(String name) {
        return parts().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " does not run in the stack at " + home));
    }

    JsonNode getJson(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return Messages.mapper().readTree(response.body());
    }

    /** Submits a run spec; returns the stored run. */
    JsonNode submit(String spec) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(orchestrator("/api/runs"))
                .header("Content-Type", "application/json").header("X-API-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("submitting a run failed: " + response.statusCode() + " " + response.body());
        }
        return Messages.mapper().readTree(response.body());
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set; run the benchmark through bench/run.sh");
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
