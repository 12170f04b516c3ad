package dev.optbench.worker.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialPhase;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.testsupport.LocalModelHub;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.trial.TrialOutcome;
import dev.optbench.worker.trial.TrialRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hf:} models through a hub on loopback ({@link LocalModelHub}: this machine cannot reach huggingface.co) that
 * llama.cpp's own {@code -hf} client also downloads from, so both speak the same API.
 */
class HubModelsTest {
    private static final String REPO = "optbench/tiny-llama-GGUF";

    @TempDir
    Path workDir;
    @TempDir
    Path emptyModels;
    private LocalModelHub hub;

    @BeforeEach
    void serve() {
        hub = LocalModelHub.start().add(REPO, "tiny-llama-F16.gguf", TestInfrastructure.tinyModel());
    }

    @AfterEach
    void stop() {
        hub.close();
        assertEquals(List.of(), TestWorker.leftoverServers());
    }

    private TrialRunner runner() throws Exception {
        return TestWorker.runner(workDir, emptyModels, Map.of("optbench.worker.model-hub.url", hub.url().toString()));
    }

    @Test
    void aTrialOfAHubModelDownloadsItOnceBeforeTheServerStartsAndRunsLikeAFile() throws Exception {
        TrialRunner runner = runner();
        List<TrialProgress> progress = new CopyOnWriteArrayList<>();
        TrialOutcome outcome = runner.run(TestWorker.job("baseline", true, List.of(new Flag("--threads", "2")),
                new ArtifactSpec(UUID.randomUUID(), "hf:" + REPO + ":F16", null, 0, null), TestWorker.smallWorkload(8, 1, List.of(1))),
                new Cancellation(), progress::add);
        TrialFinished finished = outcome.finished();
        assertEquals(TrialStatus.SUCCEEDED, finished.status(), finished.reason());
        assertEquals(REPO + "/tiny-llama-F16.gguf", finished.artifact().fileName());
        assertEquals(Files.size(TestInfrastructure.tinyModel()), finished.artifact().sizeBytes());
        assertEquals(Sha256Index.hashFile(TestInfrastructure.tinyModel()), finished.artifact().sha256());
        assertTrue(progress.stream().anyMatch(p -> p.phase() == TrialPhase.ARTIFACT && p.message() != null
                && p.message().startsWith("downloading tiny-llama-F16.gguf from 127.0.0.1")), progress.toString());
        assertTrue(outcome.samples().stream().allMatch(s -> s.completionTokens() > 0));
        assertEquals(1, hub.downloads());

        TrialOutcome quantized = runner.run(TestWorker.job("baseline", true, List.of(new Flag("--threads", "2")),
                new ArtifactSpec(UUID.randomUUID(), "hf:" + REPO + ":F16", "Q8_0", 1, "end"), TestWorker.smallWorkload(8, 1, List.of(1))),
                new Cancellation(), p -> { });
        assertEquals(TrialStatus.SUCCEEDED, quantized.finished().status(), quantized.finished().reason());
        assertEquals("Q8_0", quantized.finished().artifact().fileType());
        assertEquals(finished.artifact().blockCount() - 1, quantized.finished().artifact().blockCount());
        assertEquals(1, hub.downloads(), "the second trial quantized and pruned the downloaded file without downloading it again");
    }

    @Test
    void aHubModelThatCannotBeHadFailsTheTrialWithTheHubsReason() throws Exception {
        TrialOutcome outcome = runner().run(TestWorker.job("baseline", true, List.of(),
                new ArtifactSpec(UUID.randomUUID(), "hf:" + REPO + ":Q2_K", null, 0, null), TestWorker.smallWorkload(8, 1, List.of(1))),
                new Cancellation(), p -> { });
        assertEquals(TrialStatus.FAILED, outcome.finished().status());
        assertEquals("hf:" + REPO + ":Q2_K names no GGUF model file of the repository; it has tiny-llama-F16.gguf", outcome.finished().reason());
        assertNull(outcome.finished().argv(), "no server was started");
    }

    @Test
    void llamaCppsOwnHubClientDownloadsTheSameModelFromThisHub() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(TestWorker.binary().server().toString(), "-hf", REPO + ":F16",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--threads", "2", "--ctx-size", "256"))
                .redirectErrorStream(true).redirectOutput(workDir.resolve("hf-server.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("MODEL_ENDPOINT", hub.url().toString());
        environment.put("LLAMA_CACHE", workDir.resolve("llama-cache").toString());
        Process server = builder.start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                assertTrue(server.isAlive(), "llama-server -hf exited: " + Files.readString(workDir.resolve("hf-server.log")));
                try {
                    if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException stillLoading) {
                    // not listening yet
                }
                assertTrue(System.nanoTime() < deadline, "llama-server -hf was not healthy in 90 s: " + Files.readString(workDir.resolve("hf-server.log")));
                Thread.sleep(100);
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/completion"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once upon a time\",\"n_predict\":8}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertFalse(body.path("content").asText().isEmpty(), response.body());
            assertTrue(body.path("timings").path("predicted_n").asInt() > 0, response.body());
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        assertTrue(hub.downloads() >= 1, "llama.cpp downloaded from this hub: " + hub.requests());
    }
}
