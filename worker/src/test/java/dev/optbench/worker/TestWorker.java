package dev.optbench.worker;

import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.contracts.messages.Variant;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.config.WorkerBeans;
import dev.optbench.worker.config.WorkerConfig;
import dev.optbench.worker.probes.NvidiaSmi;
import dev.optbench.worker.server.ChildPidFiles;
import dev.optbench.worker.server.LlamaBinary;
import dev.optbench.worker.trial.TrialRunner;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the worker's parts for tests the way the application does, from a {@link WorkerConfig}. */
public final class TestWorker {
    private static LlamaBinary binary;

    private TestWorker() {
    }

    public static synchronized LlamaBinary binary() throws IOException {
        if (binary == null) {
            binary = LlamaBinary.probe(TestInfrastructure.llamaBinDir(), Duration.ofSeconds(30));
        }
        return binary;
    }

    public static WorkerConfig config(Path workDir, Path modelsDir, Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put("optbench.worker.kafka-bootstrap", "127.0.0.1:1");
        properties.put("optbench.worker.llama-bin-dir", TestInfrastructure.llamaBinDir().toString());
        properties.put("optbench.worker.models-dir", modelsDir.toString());
        properties.put("optbench.worker.work-dir", workDir.toString());
        properties.put("optbench.worker.workload.progress-interval", "0s");
        properties.put("optbench.worker.perplexity.context-size", "128");
        properties.put("optbench.worker.perplexity.max-chunks", "4");
        properties.putAll(overrides);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(WorkerConfig.class);
    }

    public static TrialRunner runner(Path workDir) throws IOException {
        return runner(workDir, TestInfrastructure.modelsDir(), Map.of());
    }

    public static TrialRunner runner(Path workDir, Path modelsDir, Map<String, String> overrides) throws IOException {
        WorkerConfig config = config(workDir, modelsDir, overrides);
        return WorkerBeans.build(config, "test-worker", binary(), NvidiaSmi.onPath(), new ChildPidFiles(workDir.resolve("pids")));
    }

    public static ArtifactSpec tiny(String quantization, int pruneLayers) {
        return new ArtifactSpec(UUID.randomUUID(), "synthetic:tiny", quantization, pruneLayers, pruneLayers > 0 ? "end" : null);
    }

    /** Two conversations, one of two rounds; small enough for a shared two-core machine. */
    public static Workload smallWorkload(int maxTokens, int repetitions, List<Integer> concurrency) {
        return new Workload(List.of(
                new Conversation("travel", List.of(new Turn("Plan a three-day trip to Lisbon.", null),
                        new Turn("Now make it cheaper.", null))),
                new Conversation("recipe", List.of(new Turn("How do I bake sourdough bread?", null)))),
                repetitions, maxTokens, 0.8, 42, concurrency);
    }

    public static TrialJob job(String variant, boolean baseline, List<Flag> flags, ArtifactSpec artifact, Workload workload) {
        return job(UUID.randomUUID(), variant, baseline, flags, artifact, null, workload, null);
    }

    public static TrialJob job(UUID runId, String variant, boolean baseline, List<Flag> flags, ArtifactSpec artifact,
                               ArtifactSpec baselineArtifact, Workload workload, String corpus) {
        return new TrialJob(SchemaVersion.CURRENT, runId, UUID.randomUUID(), "worker test", "test", artifact, baselineArtifact,
                new Variant(UUID.randomUUID(), variant, baseline, flags), workload, corpus, Instant.now(), 0, 1);
    }

    /** The job as trial {@code index + 1} of {@code count} of its run. */
    public static TrialJob placed(TrialJob job, int index, int count) {
        return new TrialJob(job.schemaVersion(), job.runId(), job.trialId(), job.runName(), job.pool(), job.artifact(),
                job.baselineArtifact(), job.variant(), job.workload(), job.perplexityCorpus(), job.createdAt(), index, count);
    }

    /** llama-server processes started by this JVM that are still there. */
    public static List<ProcessHandle> leftoverServers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("llama-server")).orElse(false))
                .toList();
    }
}
