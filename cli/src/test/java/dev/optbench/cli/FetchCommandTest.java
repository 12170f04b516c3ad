package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.testsupport.LocalModelHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against {@link LocalModelHub}, the Hub's API on loopback: this machine cannot reach huggingface.co. */
class FetchCommandTest {
    @TempDir
    Path cache;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = OptBenchCli.run(args);
            return new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void downloadsTheModelIntoTheCacheAndPrintsItsPath() throws Exception {
        byte[] model = "GGUF model bytes".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        try (LocalModelHub hub = LocalModelHub.start().add("someone/m-GGUF", "m-Q8_0.gguf", model)) {
            Result first = run("fetch", "hf:someone/m-GGUF:Q8_0", "--hub", hub.url().toString(), "--cache", cache.toString());
            assertEquals(0, first.exitCode(), first.err());
            Path path = Path.of(first.out().strip());
            assertTrue(path.startsWith(cache) && path.endsWith("m-Q8_0.gguf"), first.out());
            assertArrayEquals(model, Files.readAllBytes(path));
            assertTrue(first.err().contains("downloading m-Q8_0.gguf") && first.err().contains("downloaded 0.1 MB"), first.err());

            Result again = run("fetch", "hf:someone/m-GGUF:Q8_0", "--hub", hub.url().toString(), "--cache", cache.toString());
            assertEquals(path.toString(), again.out().strip());
            assertTrue(again.err().contains("already in the cache"), again.err());
            assertEquals(1, hub.downloads());

            Result unknown = run("fetch", "hf:someone/m-GGUF:Q2_K", "--hub", hub.url().toString(), "--cache", cache.toString());
            assertEquals(1, unknown.exitCode());
            assertTrue(unknown.err().startsWith("optbench: hf:someone/m-GGUF:Q2_K names no GGUF model file"), unknown.err());
        }
    }

    @Test
    void refusesAnythingButAHubRefAndSaysWhatIsMissing() {
        Result file = run("fetch", "model.gguf", "--hub", "http://127.0.0.1:1/", "--cache", cache.toString());
        assertEquals(1, file.exitCode());
        assertTrue(file.err().contains("is not an hf:<user>/<repo>[:<quant>] ref"), file.err());
        Result escape = run("fetch", "hf:../x", "--hub", "http://127.0.0.1:1/", "--cache", cache.toString());
        assertEquals(1, escape.exitCode());
        Result noHub = run("fetch", "hf:a/b", "--hub", "", "--cache", cache.toString());
        assertEquals(1, noHub.exitCode());
        assertTrue(noHub.err().contains("set OPTBENCH_MODEL_HUB_URL"), noHub.err());
    }
}
