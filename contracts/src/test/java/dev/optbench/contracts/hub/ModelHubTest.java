package dev.optbench.contracts.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.testsupport.LocalModelHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against {@link LocalModelHub}, which serves the Hub's API on loopback: this machine cannot reach huggingface.co. */
class ModelHubTest {
    private static final String REPO = "someone/Tiny-GGUF";
    private static final byte[] Q8 = "GGUF q8 bytes".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] F16 = "GGUF f16 bytes".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path cache;
    private LocalModelHub server;

    @BeforeEach
    void serve() {
        server = LocalModelHub.start().add(REPO, "tiny-Q8_0.gguf", Q8).add(REPO, "tiny-F16.gguf", F16);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelHub hub(Optional<String> token) {
        return new ModelHub(server.url(), token, Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private ModelHub.Fetched fetch(String tag) {
        return hub(Optional.empty()).fetch(REPO, tag, cache, (file, done, total) -> { }, () -> false);
    }

    @Test
    void downloadsTheFileTheTagNamesIntoTheCommitsSnapshotOnce() throws Exception {
        List<Long> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        ModelHub.Fetched fetched = hub(Optional.empty()).fetch(REPO, "Q8_0", cache, (file, done, total) -> progress.add(done), () -> false);
        Path expected = cache.resolve("someone/Tiny-GGUF/snapshots").resolve(server.commit(REPO)).resolve("tiny-Q8_0.gguf");
        assertEquals(expected, fetched.model());
        assertArrayEquals(Q8, Files.readAllBytes(fetched.model()));
        assertEquals(Q8.length, fetched.downloadedBytes());
        assertEquals(Q8.length, progress.getLast(), "the last progress report is the whole file");
        assertEquals(1, server.downloads());

        ModelHub.Fetched again = fetch("Q8_0");
        assertEquals(expected, again.model());
        assertEquals(0, again.downloadedBytes());
        assertEquals(1, server.downloads(), "the second fetch downloads nothing");
        assertEquals(Optional.of(expected), ModelHub.cached(REPO, "Q8_0", cache).map(ModelHub.Fetched::model));
        assertEquals(Optional.empty(), ModelHub.cached(REPO, "F16", cache), "F16 was never downloaded");
    }

    @Test
    void aDownloadThatDoesNotMatchTheHubsSha256IsRefusedAndLeavesNothing() throws Exception {
        server.listWrongSha256(REPO, "tiny-Q8_0.gguf");
        ModelHubException e = assertThrows(ModelHubException.class, () -> fetch("Q8_0"));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        try (Stream<Path> files = Files.walk(cache)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("tiny-Q8_0.gguf") && !p.toString().endsWith(".lock")),
                    "no partial or unverified file is kept");
        }
    }

    @Test
    void theTokenGoesToTheHubButNotToTheStorageHostItRedirectsTo() {
        server.requireToken("hf_secret");
        ModelHubException refused = assertThrows(ModelHubException.class, () -> fetch("F16"));
        assertTrue(refused.getMessage().contains("refused access (HTTP 401)") && refused.getMessage().contains("token"), refused.getMessage());

        hub(Optional.of("hf_secret")).fetch(REPO, "F16", cache, (f, d, t) -> { }, () -> false);
        assertTrue(server.requests().stream().filter(r -> r.server().equals("hub")).skip(1).allMatch(LocalModelHub.Request::withToken));
        assertTrue(server.requests().stream().filter(r -> r.server().equals("storage")).noneMatch(LocalModelHub.Request::withToken),
                "the storage host never sees the token: " + server.requests());
    }

    @Test
    void anUnknownRepositoryOrTagIsAClearError() {
        ModelHubException unknown = assertThrows(ModelHubException.class,
                () -> hub(Optional.empty()).fetch("someone/nothing", null, cache, (f, d, t) -> { }, () -> false));
        assertTrue(unknown.getMessage().contains("HTTP 404") && unknown.getMessage().contains("someone/nothing"), unknown.getMessage());
        ModelHubException tag = assertThrows(ModelHubException.class, () -> fetch("Q2_K"));
        assertTrue(tag.getMessage().contains("tiny-F16.gguf, tiny-Q8_0.gguf"), tag.getMessage());
    }

    @Test
    void aModelDownloadedBeforeServesWhileTheHubIsDown() {
        Path model = fetch("Q8_0").model();
        server.unavailable(true);
        assertEquals(model, fetch("Q8_0").model());
        ModelHubException never = assertThrows(ModelHubException.class, () -> fetch("F16"));
        assertTrue(never.getMessage().contains("cannot reach the model hub") && never.getMessage().contains("503"), never.getMessage());
    }

    @Test
    void aDownloadThatStallsOrIsCancelledFails() {
        server.stallDownloadOf(REPO, "tiny-Q8_0.gguf");
        long started = System.nanoTime();
        ModelHubException stalled = assertThrows(ModelHubException.class, () -> fetch("Q8_0"));
        assertTrue(stalled.getMessage().contains("nothing arrived for 2 s"), stalled.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos());

        AtomicBoolean cancelled = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            cancelled.set(true);
        });
        ModelHubException stopped = assertThrows(ModelHubException.class,
                () -> new ModelHub(server.url(), Optional.empty(), Duration.ofSeconds(10), Duration.ofMinutes(5))
                        .fetch(REPO, "Q8_0", cache, (f, d, t) -> { }, cancelled::get));
        assertTrue(stopped.getMessage().contains("was stopped"), stopped.getMessage());
    }

    @Test
    void aSplitModelsPartsLandSideBySide() throws Exception {
        server.add(REPO, "Q4_K_M/tiny-Q4_K_M-00001-of-00002.gguf", F16).add(REPO, "Q4_K_M/tiny-Q4_K_M-00002-of-00002.gguf", Q8);
        ModelHub.Fetched fetched = fetch("Q4_K_M");
        assertEquals(2, fetched.files().size());
        assertEquals(fetched.files().get(0).getParent(), fetched.files().get(1).getParent());
        assertTrue(fetched.model().getFileName().toString().endsWith("-00001-of-00002.gguf"));
        assertArrayEquals(Q8, Files.readAllBytes(fetched.files().get(1)));
    }
}
