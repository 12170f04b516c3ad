package dev.optbench.worker.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.gguf.GgufReader;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.server.ChildPidFiles;
import dev.optbench.worker.server.LlamaServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts made with the real llama-quantize and the project's layer pruner, cached and locked. */
class ArtifactStoreTest {
    @TempDir
    static Path workDir;
    static ArtifactStore store;

    @BeforeAll
    static void setUp() throws Exception {
        store = new ArtifactStore(new ModelsDirectory(TestInfrastructure.modelsDir()), workDir, Optional.empty(),
                new Quantizer(TestWorker.binary().quantize(), Duration.ofMinutes(5), new ChildPidFiles(workDir.resolve("pids"))));
    }

    private static ArtifactStore.Artifact resolve(String quantization, int prune, String from) {
        return store.resolve(new ArtifactSpec(UUID.randomUUID(), "synthetic:tiny", quantization, prune, from),
                workDir.resolve("logs"), new Cancellation());
    }

    @Test
    void q4AndQ8ArtifactsAreMadeByLlamaQuantizeAndAreSmallerThanF16() throws Exception {
        ArtifactStore.Artifact f16 = resolve(null, 0, null);
        ArtifactStore.Artifact q4 = resolve("Q4_0", 0, null);
        ArtifactStore.Artifact q8 = resolve("q8_0", 0, null);
        assertEquals("F16", f16.info().fileType());
        assertEquals("tiny-llama-f16.gguf", f16.info().fileName());
        assertEquals("Q4_0", q4.info().fileType());
        assertEquals("Q8_0", q8.info().fileType());
        assertEquals("Q4_0", GgufReader.read(q4.path()).fileType(), "the file itself says Q4_0");
        assertTrue(q4.info().sizeBytes() < q8.info().sizeBytes() && q8.info().sizeBytes() < f16.info().sizeBytes(),
                q4.info().sizeBytes() + " < " + q8.info().sizeBytes() + " < " + f16.info().sizeBytes());
        assertEquals(Files.size(q4.path()), q4.info().sizeBytes());
        assertEquals(f16.info().parameterCount(), q4.info().parameterCount());
        assertTrue(Files.readString(workDir.resolve("logs/quantize.log")).contains("llama-quantize"), "llama-quantize's own log");
        assertNotEquals(f16.info().sha256(), q4.info().sha256());
        assertEquals(64, q4.info().sha256().length());
        assertTrue(q4.path().startsWith(workDir.resolve("artifacts").resolve(f16.info().sha256())), "cached by the base's sha256");
    }

    @Test
    void aSecondRequestForAnArtifactUsesTheCachedFile() {
        ArtifactStore.Artifact first = resolve("Q5_0", 0, null);
        ArtifactStore.Artifact second = resolve("Q5_0", 0, null);
        assertEquals(first.path(), second.path());
        assertEquals(first.info().sha256(), second.info().sha256());
        assertNull(second.info().buildMillis(), "nothing was built the second time");
    }

    @Test
    void twoTrialsWantingTheSameArtifactBuildItOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Callable<ArtifactStore.Artifact> build = () -> resolve("Q4_1", 0, null);
            List<Future<ArtifactStore.Artifact>> results = threads.invokeAll(List.of(build, build));
            ArtifactStore.Artifact a = results.get(0).get();
            ArtifactStore.Artifact b = results.get(1).get();
            assertEquals(a.info().sha256(), b.info().sha256());
            assertEquals(1, (a.info().buildMillis() == null ? 0 : 1) + (b.info().buildMillis() == null ? 0 : 1), "exactly one built it");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aPrunedArtifactLoadsAndHasFewerLayers() throws Exception {
        ArtifactStore.Artifact base = resolve(null, 0, null);
        ArtifactStore.Artifact pruned = resolve(null, 1, "middle");
        ArtifactStore.Artifact quantizedAndPruned = resolve("Q8_0", 2, "end");
        assertEquals(base.info().blockCount() - 1, pruned.info().blockCount());
        assertEquals(base.info().blockCount() - 2, quantizedAndPruned.info().blockCount());
        assertEquals("Q8_0", quantizedAndPruned.info().fileType());
        long perBlock = base.info().parameterCount() - pruned.info().parameterCount();
        assertTrue(perBlock > 0);
        assertEquals(base.info().parameterCount() - 2 * perBlock, quantizedAndPruned.info().parameterCount());
        assertEquals(base.info().parameterCount() - perBlock, servedParameters(pruned.path()),
                "llama-server loads the pruned file and reports one block's parameters fewer");
    }

    @Test
    void modelsOutsideTheModelsDirectoryAreRefused(@TempDir Path models, @TempDir Path elsewhere) throws Exception {
        Files.copy(TestInfrastructure.tinyModel(), elsewhere.resolve("outside.gguf"));
        Files.createSymbolicLink(models.resolve("link.gguf"), elsewhere.resolve("outside.gguf"));
        ArtifactStore local = new ArtifactStore(new ModelsDirectory(models), workDir, Optional.empty(),
                new Quantizer(TestWorker.binary().quantize(), Duration.ofMinutes(5), new ChildPidFiles(workDir.resolve("pids"))));
        ArtifactException link = assertThrows(ArtifactException.class, () -> local.resolve(
                new ArtifactSpec(UUID.randomUUID(), "link.gguf", null, 0, null), workDir, new Cancellation()));
        assertTrue(link.getMessage().contains("leaves the models directory"), link.getMessage());
        ArtifactException dots = assertThrows(ArtifactException.class, () -> local.resolve(
                new ArtifactSpec(UUID.randomUUID(), "../outside.gguf", null, 0, null), workDir, new Cancellation()));
        assertTrue(dots.getMessage().contains("must stay inside the models directory"), dots.getMessage());
        ArtifactException hf = assertThrows(ArtifactException.class, () -> local.resolve(
                new ArtifactSpec(UUID.randomUUID(), "hf:someone/model:Q4_K_M", null, 0, null), workDir, new Cancellation()));
        assertTrue(hf.getMessage().contains("needs a download"), hf.getMessage());
        ArtifactException missing = assertThrows(ArtifactException.class, () -> local.resolve(
                new ArtifactSpec(UUID.randomUUID(), "synthetic:tiny", null, 0, null), workDir, new Cancellation()));
        assertTrue(missing.getMessage().contains("vocab-file"), missing.getMessage());
    }

    @Test
    void aQuantizedBaseIsNotQuantizedAgain() {
        ArtifactStore.Artifact q4 = resolve("Q4_0", 0, null);
        Path models = q4.path().getParent();
        ArtifactStore fromQuantized = new ArtifactStore(new ModelsDirectory(models), workDir, Optional.empty(), null);
        ArtifactException e = assertThrows(ArtifactException.class, () -> fromQuantized.resolve(
                new ArtifactSpec(UUID.randomUUID(), q4.path().getFileName().toString(), "Q8_0", 0, null), workDir, new Cancellation()));
        assertTrue(e.getMessage().contains("from an F32, F16 or BF16 model"), e.getMessage());
    }

    @Test
    void syntheticTinyIsWrittenWhenTheModelsDirectoryLacksIt(@TempDir Path emptyModels) throws Exception {
        ArtifactStore local = new ArtifactStore(new ModelsDirectory(emptyModels), workDir, Optional.of(TestInfrastructure.llamaVocab()), null);
        ArtifactStore.Artifact tiny = local.resolve(new ArtifactSpec(UUID.randomUUID(), "synthetic:tiny", null, 0, null), workDir, new Cancellation());
        assertEquals(Files.size(TestInfrastructure.tinyModel()), tiny.info().sizeBytes());
        assertEquals(resolve(null, 0, null).info().sha256(), tiny.info().sha256(), "the same generated model as the launcher's");
    }

    private static long servedParameters(Path model) throws Exception {
        Path logs = Files.createTempDirectory(workDir, "serve");
        LlamaServerProcess.Launch launch = new LlamaServerProcess.Launch(TestWorker.binary().server(), model,
                List.of("--threads", "2", "--ctx-size", "256"), logs.resolve("server.log"), Duration.ofSeconds(5), 20);
        try (LlamaServerProcess server = LlamaServerProcess.startHealthy(launch, new ChildPidFiles(workDir.resolve("pids")),
                Duration.ofSeconds(60), () -> false);
             HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode meta = new ObjectMapper().readTree(body).path("data").path(0).path("meta");
            assertNotNull(meta.get("n_params"), body);
            return meta.path("n_params").asLong();
        }
    }
}
