package dev.optbench.worker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.TestWorker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaServerProcessTest {
    @TempDir
    Path dir;

    private LlamaServerProcess.Launch launch(List<String> arguments) throws Exception {
        return new LlamaServerProcess.Launch(TestWorker.binary().server(), TestInfrastructure.tinyModel(), arguments,
                dir.resolve("server.log"), Duration.ofSeconds(5), 20);
    }

    @Test
    void startsOnALoopbackPortWithTheWorkersOwnFlagsAndStopsCompletely() throws Exception {
        ChildPidFiles pids = new ChildPidFiles(dir.resolve("pids"));
        long pid;
        try (LlamaServerProcess server = LlamaServerProcess.startHealthy(launch(List.of("--threads", "2")), pids, Duration.ofSeconds(60), () -> false)) {
            pid = server.pid();
            List<String> argv = server.argv();
            assertEquals(TestWorker.binary().server().toString(), argv.getFirst());
            assertEquals(List.of("--host", "127.0.0.1", "--port", Integer.toString(server.port()), "--model",
                    TestInfrastructure.tinyModel().toString(), "--metrics", "--threads", "2"), argv.subList(1, argv.size()));
            assertTrue(server.loadMillis() > 0);
            assertTrue(Files.exists(dir.resolve("pids").resolve(pid + ".pid")), "recorded so a later worker can reap it");
            assertTrue(Files.size(dir.resolve("server.log")) > 0, "the server's output goes to the trial log");
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(dir.resolve("pids").resolve(pid + ".pid")));
    }

    @Test
    void theGeneratedModelAnswersCompletionWithTheServersTimings() throws Exception {
        try (LlamaServerProcess server = LlamaServerProcess.startHealthy(launch(List.of("--threads", "2", "--ctx-size", "512")),
                new ChildPidFiles(dir.resolve("pids")), Duration.ofSeconds(60), () -> false);
             HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/completion"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once upon a time\",\"n_predict\":16,\"seed\":1}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertEquals(200, response.statusCode(), response.body());
            assertFalse(body.path("content").asText().isEmpty(), response.body());
            assertTrue(body.path("timings").path("predicted_n").asInt() > 0, response.body());
            assertTrue(body.path("timings").path("predicted_per_second").asDouble() > 0, response.body());
        }
    }

    @Test
    void aServerThatDoesNotBecomeHealthyInTimeIsStoppedAndReportedHung() throws Exception {
        ServerFailure failure = assertThrows(ServerFailure.class, () -> LlamaServerProcess.startHealthy(launch(List.of("--threads", "1")),
                new ChildPidFiles(dir.resolve("pids")), Duration.ofMillis(1), () -> false));
        assertEquals(ServerFailure.Kind.HUNG, failure.kind());
        assertEquals(List.of(), TestWorker.leftoverServers());
    }

    @Test
    void childrenLeftByAWorkerThatDiedAreReapedByTheNext() throws Exception {
        Path pidDir = dir.resolve("pids");
        Process orphan = new ProcessBuilder(List.of("sleep", "300")).start();
        try {
            Files.createDirectories(pidDir);
            long deadOwner = deadPid();
            long started = orphan.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            Files.writeString(pidDir.resolve(orphan.pid() + ".pid"), deadOwner + "\n" + orphan.pid() + "\n" + started + "\n");
            assertEquals(1, new ChildPidFiles(pidDir).reapOrphans());
            assertTrue(orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the orphan was killed");
            assertFalse(Files.exists(pidDir.resolve(orphan.pid() + ".pid")));
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void aLiveOwnersChildrenAreLeftAlone() throws Exception {
        Path pidDir = dir.resolve("pids");
        Process child = new ProcessBuilder(List.of("sleep", "300")).start();
        try {
            Files.createDirectories(pidDir);
            long started = child.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            Files.writeString(pidDir.resolve(child.pid() + ".pid"), ProcessHandle.current().pid() + "\n" + child.pid() + "\n" + started + "\n");
            assertEquals(0, new ChildPidFiles(pidDir).reapOrphans());
            assertTrue(child.isAlive());
        } finally {
            child.destroyForcibly();
        }
    }

    private static long deadPid() throws Exception {
        Process shortLived = new ProcessBuilder(List.of("true")).start();
        shortLived.waitFor();
        Optional<ProcessHandle> handle = ProcessHandle.of(shortLived.pid());
        assertFalse(handle.map(ProcessHandle::isAlive).orElse(false));
        return shortLived.pid();
    }
}
