package dev.optbench.orchestrator.support;

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
import java.util.UUID;

/** What a worker would publish for a trial, built from the contracts' records. */
public final class WorkerMessages {
    private WorkerMessages() {
    }

    /** One sample per (repetition, round) of conversation {@code c}, each with the given latency. */
    public static List<Sample> samples(UUID trialId, int repetitions, int rounds, double latencyMillis, String answerPrefix) {
        List<Sample> samples = new ArrayList<>();
        for (int repetition = 0; repetition < repetitions; repetition++) {
            for (int round = 0; round < rounds; round++) {
                samples.add(new Sample(Sample.idOf(trialId, 1, repetition, "inline-1", round), "inline-1", round, repetition, 1,
                        Instant.now(), 12 + 20 * round, 8, 0, latencyMillis / 5, latencyMillis, 4.0, 6.0, 80.0, 9.0, 900.0,
                        100.0, 80.0, null, null, "length", "prompt " + round,
                        answerPrefix + " r" + repetition + " t" + round, null));
            }
        }
        return samples;
    }

    public static SampleChunk chunk(UUID runId, UUID trialId, int index, List<Sample> samples) {
        return new SampleChunk(SchemaVersion.CURRENT, runId, trialId, index, samples);
    }

    public static TrialFinished finished(UUID runId, UUID trialId, TrialStatus status, int samples) {
        Instant now = Instant.now();
        return new TrialFinished(SchemaVersion.CURRENT, runId, trialId, status, status == TrialStatus.FAILED ? "server crashed" : null,
                null, "test-worker", new Environment("host", "0.5.0-dev", "de3ff81", "cpu", "cpu", 2, List.of(), 2),
                new ArtifactInfo("tiny-llama-f16.gguf", "ab", 42L * 1024 * 1024, "llama", "F16", 4, 20_600_000L, null),
                List.of("llama-server", "--port", "1234"), 1500L, null, samples, 1000L, 2000L, 300L * 1024 * 1024, null,
                Map.of("llamacpp:tokens_predicted_total", 100.0), null, List.of(), now.minusSeconds(2), now);
    }
}
