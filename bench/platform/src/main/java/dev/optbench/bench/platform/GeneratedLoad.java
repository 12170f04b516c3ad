package dev.optbench.bench.platform;

import dev.optbench.contracts.messages.ArtifactInfo;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The messages a worker publishes for one trial (sample chunks, then trial-finished), filled with generated
 * figures and texts of realistic size. They load the orchestrator; they measure nothing about llama.cpp, and the
 * benchmark reports only the orchestrator's own timings.
 */
final class GeneratedLoad {
    private static final String ANSWER = "The quick answer depends on the context you gave me. In short: measure first, "
            + "then change one setting at a time, and keep the one that makes the largest difference for your workload. ";
    private final Random random;

    GeneratedLoad(long seed) {
        this.random = new Random(seed);
    }

    /** The trial's samples in chunks: conversations × rounds × repetitions at concurrency 1. */
    List<SampleChunk> chunks(UUID runId, UUID trialId, int conversations, int rounds, int repetitions, int chunkSize) {
        List<Sample> samples = new ArrayList<>();
        double base = 40 + random.nextDouble() * 40;
        for (int repetition = 0; repetition < repetitions; repetition++) {
            for (int conversation = 1; conversation <= conversations; conversation++) {
                for (int round = 0; round < rounds; round++) {
                    samples.add(sample(trialId, "inline-" + conversation, round, repetition, base));
                }
            }
        }
        List<SampleChunk> chunks = new ArrayList<>();
        for (int from = 0, index = 0; from < samples.size(); from += chunkSize, index++) {
            chunks.add(new SampleChunk(SchemaVersion.CURRENT, runId, trialId, index,
                    List.copyOf(samples.subList(from, Math.min(samples.size(), from + chunkSize)))));
        }
        return chunks;
    }

    private Sample sample(UUID trialId, String conversationId, int round, int repetition, double base) {
        int promptTokens = 30 + round * 90 + random.nextInt(20);
        int completionTokens = 64 + random.nextInt(64);
        double generationTokensPerSecond = 300 + random.nextDouble() * 150;
        double ttft = base / 4 + round * 3 + random.nextDouble() * 5;
        double latency = ttft + completionTokens / generationTokensPerSecond * 1000;
        return new Sample(Sample.idOf(trialId, 1, repetition, conversationId, round), conversationId, round, repetition, 1,
                Instant.now(), promptTokens, completionTokens, round == 0 ? 0 : promptTokens - 60, ttft, latency,
                1000 / generationTokensPerSecond, 1500 / generationTokensPerSecond, generationTokensPerSecond,
                ttft * 0.8, promptTokens / (ttft * 0.8) * 1000, latency - ttft, generationTokensPerSecond * 1.05, null, null,
                "length", "Round " + round + " of " + conversationId + ": tell me more about the previous answer, briefly.",
                ANSWER.repeat(2), null);
    }

    TrialFinished finished(UUID runId, UUID trialId, int samples) {
        Instant now = Instant.now();
        return new TrialFinished(SchemaVersion.CURRENT, runId, trialId, TrialStatus.SUCCEEDED, null, null, "bench-load",
                new Environment("bench", "0.5.0-dev", "de3ff81", "cpu", "generated", 2, List.of(), 2),
                new ArtifactInfo("tiny-llama-f16.gguf", "0".repeat(64), 42L << 20, "llama", "F16", 4, 20_600_000L, null),
                List.of("llama-server", "--port", "0"), 900L + random.nextInt(300), null, samples, 60_000L, 62_000L,
                (300L + random.nextInt(50)) << 20, null, Map.of("llamacpp:tokens_predicted_total", 96_000.0), null, List.of(),
                now.minusSeconds(62), now);
    }
}
