package dev.optbench.worker.bench;

import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialPhase;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.trial.TrialOutcome;
import dev.optbench.worker.trial.TrialRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's own cost, printed, never asserted: per-request harness overhead (end-to-end latency minus the
 * server's prompt_ms + predicted_ms) over 100 requests, and a trial's dead time (wall − load − request time).
 * Run with {@code bench/worker-overhead/run.sh}; not part of the normal test run (its name ends in Benchmark).
 */
class HarnessOverheadBenchmark {
    @TempDir
    Path workDir;

    @Test
    void printsHarnessOverheadAndDeadTime() throws Exception {
        int requests = Integer.getInteger("requests", 100);
        int maxTokens = Integer.getInteger("maxTokens", 32);
        List<String> prompts = List.of("Plan a three-day trip to Lisbon.", "How do I bake sourdough bread?",
                "Explain how tides work.", "Write a haiku about rivers.", "Why do bees cluster in winter?");
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            conversations.add(new Conversation("p" + i, List.of(new Turn(prompts.get(i), null))));
        }
        Workload workload = new Workload(conversations, Math.max(1, requests / prompts.size()), maxTokens, 0.8, 42, List.of(1));
        TrialRunner runner = TestWorker.runner(workDir);
        TrialJob job = TestWorker.job("default", true, List.of(new Flag("--threads", "2")), TestWorker.tiny(null, 0), workload);
        List<TrialProgress> events = new CopyOnWriteArrayList<>();
        TrialOutcome outcome = runner.run(job, new Cancellation(), events::add);
        TrialFinished finished = outcome.finished();
        if (finished.status() != TrialStatus.SUCCEEDED) {
            throw new AssertionError(finished.reason() + "\n" + finished.stderrTail());
        }
        double[] overhead = outcome.samples().stream()
                .mapToDouble(s -> s.latencyMillis() - (s.serverPromptMillis() + s.serverGenerationMillis())).sorted().toArray();
        double[] ttftOverhead = outcome.samples().stream().mapToDouble(s -> s.ttftMillis() - s.serverPromptMillis()).sorted().toArray();
        double[] tpsRatio = outcome.samples().stream()
                .mapToDouble(s -> s.generationTokensPerSecond() / s.serverGenerationTokensPerSecond()).sorted().toArray();
        double[] latency = outcome.samples().stream().mapToDouble(Sample::latencyMillis).sorted().toArray();
        long dead = finished.wallMillis() - finished.loadMillis() - finished.requestMillis();

        StringBuilder out = new StringBuilder();
        out.append(String.format("worker harness overhead, %d requests of %d tokens on %s, llama.cpp %s (%s), %d cores, load average %s%n",
                overhead.length, maxTokens, finished.artifact().fileName(), finished.environment().llamaVersion(),
                finished.environment().llamaCommit(), finished.environment().cpuCores(), Files.readString(Path.of("/proc/loadavg")).strip()));
        out.append(String.format("  end-to-end − (prompt_ms + predicted_ms): median %.3f ms, p95 %.3f ms, min %.3f ms, max %.3f ms%n",
                Statistics.percentile(overhead, 50), Statistics.percentile(overhead, 95), overhead[0], overhead[overhead.length - 1]));
        out.append(String.format("  TTFT − prompt_ms:                         median %.3f ms, p95 %.3f ms%n",
                Statistics.percentile(ttftOverhead, 50), Statistics.percentile(ttftOverhead, 95)));
        out.append(String.format("  worker tok/s ÷ server tok/s:              median %.4f, min %.4f, max %.4f%n",
                Statistics.percentile(tpsRatio, 50), tpsRatio[0], tpsRatio[tpsRatio.length - 1]));
        out.append(String.format("  end-to-end latency:                       median %.2f ms%n", Statistics.percentile(latency, 50)));
        out.append(String.format("trial: wall %d ms = load %d ms + requests %d ms + dead %d ms (%.1f %% of wall)%n",
                finished.wallMillis(), finished.loadMillis(), finished.requestMillis(), dead, 100.0 * dead / finished.wallMillis()));
        out.append("  phases (from the trial's progress events):\n");
        Instant previous = null;
        for (TrialProgress event : events) {
            if (event.phase() == TrialPhase.WORKLOAD && event.samplesDone() != event.samplesTotal()) {
                continue;
            }
            out.append(String.format("    %-10s +%5d ms%s%n", event.phase(), previous == null ? 0 : Duration.between(previous, event.at()).toMillis(),
                    event.message() == null ? "" : "  " + event.message()));
            previous = event.at();
        }
        out.append(String.format("    finished   +%5d ms  (server stopped)%n", Duration.between(previous, finished.finishedAt()).toMillis()));
        System.out.print(out);
        Files.writeString(Path.of("target", "worker-overhead.txt"), out);
    }
}
