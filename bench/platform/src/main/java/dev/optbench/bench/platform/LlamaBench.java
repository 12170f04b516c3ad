package dev.optbench.bench.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.stats.Statistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Median tokens/s of {@code repetitions} generations of {@code tokens} tokens (llama-bench's per-repetition
     * {@code samples_ts}: on a shared machine one slow repetition moves the mean it prints far more than the median).
     */
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
                    double[] rates = new double[result.path("samples_ts").size()];
                    for (int i = 0; i < rates.length; i++) {
                        rates[i] = result.path("samples_ts").get(i).asDouble();
                    }
                    Arrays.sort(rates);
                    return Statistics.percentile(rates, 50);
                }
            }
            throw new IllegalStateException("llama-bench printed no tg" + tokens + " result: " + results);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
