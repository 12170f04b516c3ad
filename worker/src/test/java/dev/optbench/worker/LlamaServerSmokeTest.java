package dev.optbench.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.testsupport.TestInfrastructure;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built llama-server loads the generated tiny model and answers with timings. */
class LlamaServerSmokeTest {

    @Test
    void theBuiltLlamaServerAnswersCompletionOnTheGeneratedModel() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path server = TestInfrastructure.llamaBinDir().resolve("llama-server");
        Process process = new ProcessBuilder(List.of(server.toString(), "--model", TestInfrastructure.tinyModel().toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--threads", "2", "--ctx-size", "512"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                assertTrue(process.isAlive(), "llama-server exited during start");
                try {
                    if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notListeningYet) {
                    // the server is still loading
                }
                assertTrue(System.nanoTime() < deadline, "llama-server did not become healthy in 60 s");
                Thread.sleep(100);
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/completion"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once upon a time\",\"n_predict\":16,\"seed\":1}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertFalse(body.path("content").asText().isEmpty(), response.body());
            assertTrue(body.path("timings").path("predicted_n").asInt() > 0, response.body());
            assertTrue(body.path("timings").path("predicted_per_second").asDouble() > 0, response.body());
        } finally {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
