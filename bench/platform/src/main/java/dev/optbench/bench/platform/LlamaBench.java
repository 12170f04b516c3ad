package dev.optbench.bench.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * llama.cpp's own {@code llama-bench}: the text-generation rate ({@code tg}) of the model with the same threads and
 * flash-attention setting the benchmark's trials pass to llama-server. It decodes one token at a time with no
 * sampling, no detokenisation and no HTTP, which is what the worker's figures are compared with.
 */
final class LlamaBench {
    private final Path binary;
    private final Path model;
    private final Path log;

    LlamaBench(Path binDir, Path model, Path log) {
        this.binary = binDir.resolve("llama-bench");
        this.model = model;
        this.log = log;
    }

    /** Mean tokens/s of {@code repetitions} generations of {@code tokens} tokens. */
    double textGeneration(int threads, String flashAttention, int tokens, int repetitions) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "-m", model.toString(), "-t", Integer.toString(threads),
                "-fa", flashAttention, "-p", "0", "-n", Integer.toString(tokens), "-r", Integer.toString(repetitions), "-o", "json"));
        Path out = Files.createTempFile("llama-bench-", ".json");
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try {
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("llama-bench ran longer than 5 minutes");
                }
            } finally {
                process.destroyForcibly();
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("llama-bench exited with " + process.exitValue() + "; see " + log);
            }
            JsonNode results = Messages.mapper().readTree(out.toFile());
            for (JsonNode result : results) {
                if (result.path("n_gen").asInt() == tokens && result.path("n_prompt").asInt() == 0) {
                    return result.path("avg_ts").asDouble();
                }
            }
            throw new IllegalStateException("llama-bench printed no tg" + tokens + " result: " + results);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
