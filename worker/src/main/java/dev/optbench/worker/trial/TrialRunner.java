package dev.optbench.worker.trial;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.messages.ArtifactInfo;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialPhase;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.worker.artifacts.ArtifactException;
import dev.optbench.worker.artifacts.ArtifactStore;
import dev.optbench.worker.artifacts.ModelsDirectory;
import dev.optbench.worker.probes.HostProbe;
import dev.optbench.worker.probes.NvidiaSmi;
import dev.optbench.worker.probes.TrialSampler;
import dev.optbench.worker.quality.Corpora;
import dev.optbench.worker.quality.PerplexityRunner;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.server.ChildPidFiles;
import dev.optbench.worker.server.LlamaBinary;
import dev.optbench.worker.server.LlamaServerProcess;
import dev.optbench.worker.server.LogTail;
import dev.optbench.worker.server.ServerFailure;
import dev.optbench.worker.server.ServerFlags;
import dev.optbench.worker.workload.TrialCancelledException;
import dev.optbench.worker.workload.WorkloadResult;
import dev.optbench.worker.workload.WorkloadRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs one trial from job to outcome: resolve or build the artifact, start llama-server with the variant's
 * flags, warm up, play the workload, watch memory, stop the server, measure perplexity when asked, and say
 * how it ended. Every way a trial can go wrong ends in an outcome with a reason; the server never outlives
 * the trial.
 */
public final class TrialRunner {
    private static final Logger LOG = Logger.getLogger(TrialRunner.class);
    /** Variant flags that also decide where and how fast llama-perplexity runs. */
    private static final Set<String> PLACEMENT_FLAGS = Set.of("--threads", "--threads-batch", "--gpu-layers", "--device",
            "--main-gpu", "--split-mode", "--tensor-split", "--flash-attn", "--batch-size", "--ubatch-size");

    private final String workerId;
    private final LlamaBinary binary;
    private final FlagPolicy policy;
    private final ServerFlags serverFlags;
    private final ModelsDirectory models;
    private final ArtifactStore artifacts;
    private final Corpora corpora;
    private final PerplexityRunner perplexity;
    private final HostProbe host;
    private final NvidiaSmi nvidiaSmi;
    private final ChildPidFiles pidFiles;
    private final Path trialsDir;
    private final Settings settings;

    /** The timing knobs of a trial, from {@code optbench.worker.*}. */
    public record Settings(Duration healthTimeout, Duration stopGrace, int tailLines, Duration requestIdleTimeout,
                           Duration probeInterval, Duration progressInterval) {
    }

    public TrialRunner(String workerId, LlamaBinary binary, FlagPolicy policy, ModelsDirectory models, ArtifactStore artifacts,
                       Corpora corpora, PerplexityRunner perplexity, HostProbe host, NvidiaSmi nvidiaSmi, ChildPidFiles pidFiles,
                       Path trialsDir, Settings settings) {
        this.workerId = workerId;
        this.binary = binary;
        this.policy = policy;
        this.serverFlags = new ServerFlags(policy, binary);
        this.models = models;
        this.artifacts = artifacts;
        this.corpora = corpora;
        this.perplexity = perplexity;
        this.host = host;
        this.nvidiaSmi = nvidiaSmi;
        this.pidFiles = pidFiles;
        this.trialsDir = trialsDir;
        this.settings = settings;
    }

    public Path trialDir(TrialJob job) {
        return trialDir(job.trialId());
    }

    /** Where a trial's logs and replay script are. */
    public Path trialDir(UUID trialId) {
        return trialsDir.resolve(trialId.toString());
    }

    public Path trialsDir() {
        return trialsDir;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    /** The variant's flags as this worker passes them, plus {@code --parallel} for the highest concurrency level. */
    public List<String> serverArguments(TrialJob job) {
        List<Flag> flags = new ArrayList<>(job.variant().flags());
        boolean setsParallel = flags.stream().anyMatch(f -> isFlag(f, "--parallel"));
        if (!setsParallel) {
            flags.add(new Flag("--parallel", Integer.toString(WorkloadRunner.maxConcurrency(job.workload()))));
        }
        return serverFlags.arguments(flags, models::resolve);
    }

    public TrialOutcome run(TrialJob job, Cancellation cancellation, TrialListener listener) {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        Path trialDir = trialDir(job);
        Progress progress = new Progress(job, listener);
        progress.phase(TrialPhase.STARTED, "trial of " + job.variant().name() + " on " + job.artifact().label());
        ArtifactInfo artifactInfo = null;
        List<String> argv = null;
        Long loadMillis = null;
        Long wallMillis = null;
        WorkloadResult workload = null;
        TrialSampler sampler = null;
        PerplexityFigures figures = null;
        TrialStatus status;
        String reason = null;
        String tail = null;
        try {
            Files.createDirectories(trialDir);
            checkCancelled(cancellation);
            progress.phase(TrialPhase.ARTIFACT, job.artifact().label());
            ArtifactStore.Artifact artifact = artifacts.resolve(job.artifact(), trialDir, cancellation,
                    message -> progress.phase(TrialPhase.ARTIFACT, message));
            artifactInfo = artifact.info();
            List<String> arguments = serverArguments(job);
            checkCancelled(cancellation);
            progress.phase(TrialPhase.LOADING, artifact.info().fileName());
            LlamaServerProcess.Launch launch = new LlamaServerProcess.Launch(binary.server(), artifact.path(), arguments,
                    trialDir.resolve("server.log"), settings.stopGrace(), settings.tailLines());
            Long gpuUsedBefore = nvidiaSmi.usedMemoryBytes();
            try (LlamaServerProcess server = LlamaServerProcess.startHealthy(launch, pidFiles, settings.healthTimeout(), cancellation::isCancelled);
                 Cancellation.Registration stopOnCancel = cancellation.onCancel(server::kill)) {
                argv = server.argv();
                loadMillis = server.loadMillis();
                listener.serverStarted(server.pid());
                sampler = TrialSampler.start(server.pid(), nvidiaSmi, gpuUsedBefore, settings.probeInterval());
                progress.phase(TrialPhase.WARMUP, "loaded in " + loadMillis + " ms");
                workload = new WorkloadRunner(settings.requestIdleTimeout()).run(job.trialId(), job.workload(), server, cancellation,
                        (done, total) -> progress.samples(done, total));
                sampler.sample();
            } finally {
                if (sampler != null) {
                    sampler.close();
                }
                wallMillis = (System.nanoTime() - started) / 1_000_000;
            }
            if (job.perplexityCorpus() != null) {
                progress.phase(TrialPhase.PERPLEXITY, job.perplexityCorpus());
                // No baselineArtifact: this artifact is its model's baseline, and its run writes the base logits.
                ArtifactStore.Artifact baseline = job.baselineArtifact() == null ? artifact
                        : artifacts.resolve(job.baselineArtifact(), trialDir, cancellation);
                figures = perplexity.measure(artifact, baseline, corpora.resolve(job.perplexityCorpus()), placement(job), trialDir, cancellation);
            }
            status = TrialStatus.SUCCEEDED;
        } catch (TrialCancelledException e) {
            status = TrialStatus.CANCELLED;
            reason = e.getMessage();
        } catch (FlagRejectedException e) {
            status = TrialStatus.FAILED;
            reason = "flag " + e.getMessage();
        } catch (ServerFailure e) {
            status = cancellation.isCancelled() ? TrialStatus.CANCELLED : TrialStatus.FAILED;
            reason = cancellation.isCancelled() ? cancellation.reason() : e.getMessage();
            tail = e.logTail();
        } catch (ArtifactException | PerplexityRunner.PerplexityException e) {
            status = cancellation.isCancelled() ? TrialStatus.CANCELLED : TrialStatus.FAILED;
            reason = cancellation.isCancelled() ? cancellation.reason() : e.getMessage();
            tail = latestLogTail(trialDir);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "trial %s failed inside the worker", job.trialId());
            status = cancellation.isCancelled() ? TrialStatus.CANCELLED : TrialStatus.FAILED;
            reason = cancellation.isCancelled() ? cancellation.reason() : "worker error: " + e;
            tail = latestLogTail(trialDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = TrialStatus.CANCELLED;
            reason = "the worker was interrupted";
        }
        if (wallMillis == null) {
            wallMillis = (System.nanoTime() - started) / 1_000_000;
        }
        List<Sample> samples = workload == null ? List.of() : workload.samples();
        TrialFinished finished = new TrialFinished(SchemaVersion.CURRENT, job.runId(), job.trialId(), status, reason, tail, workerId,
                host.environment(binary, threads(job)).withGpuMemorySource(sampler == null ? null : sampler.gpuMemorySource()),
                artifactInfo, argv, loadMillis,
                workload == null ? null : workload.coldGeneration(), samples.size(),
                workload == null ? null : workload.requestMillis(), wallMillis,
                sampler == null ? null : sampler.peakRssBytes(), sampler == null ? null : sampler.peakGpuMemoryBytes(),
                workload == null ? null : workload.metricsDelta(), figures,
                sampler == null ? List.of() : sampler.concurrentActivity(), startedAt, Instant.now());
        LOG.infof("trial %s %s%s (load %s ms, %d samples, wall %d ms)", job.trialId(), status,
                reason == null ? "" : ": " + reason, loadMillis, samples.size(), wallMillis);
        return new TrialOutcome(samples, finished, cancellation.abandoned());
    }

    /** The variant's flags that place llama-perplexity on the same devices and threads as the trial's server. */
    private List<String> placement(TrialJob job) {
        List<String> argv = new ArrayList<>();
        for (Flag given : job.variant().flags()) {
            Flag flag = policy.normalise(given.name(), given.value());
            if (PLACEMENT_FLAGS.contains(flag.name()) && binary.accepts(flag.name())) {
                argv.add(flag.name());
                if (flag.value() != null) {
                    argv.add(flag.value());
                }
            }
        }
        return argv;
    }

    private Integer threads(TrialJob job) {
        return job.variant().flags().stream().filter(f -> isFlag(f, "--threads")).findFirst()
                .map(f -> {
                    try {
                        return Integer.valueOf(f.value());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }).orElse(null);
    }

    private boolean isFlag(Flag flag, String canonical) {
        var rule = policy.rule(flag.name());
        return rule != null && rule.canonicalName().equals(canonical);
    }

    private static void checkCancelled(Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            throw new TrialCancelledException(cancellation.reason());
        }
    }

    private String latestLogTail(Path trialDir) {
        try (Stream<Path> files = Files.list(trialDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .map(p -> LogTail.text(p, settings.tailLines())).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Turns phases and sample counts into progress events, the sample counts at most once per interval. */
    private final class Progress {
        private final TrialJob job;
        private final TrialListener listener;
        private volatile long lastSamplesNanos;

        Progress(TrialJob job, TrialListener listener) {
            this.job = job;
            this.listener = listener;
        }

        void phase(TrialPhase next, String message) {
            emit(next, 0, job.workload().sampleCount(), message);
        }

        synchronized void samples(int done, int total) {
            long now = System.nanoTime();
            if (done == total || now - lastSamplesNanos >= settings.progressInterval().toNanos()) {
                lastSamplesNanos = now;
                emit(TrialPhase.WORKLOAD, done, total, null);
            }
        }

        private void emit(TrialPhase at, int done, int total, String message) {
            try {
                listener.progress(new TrialProgress(SchemaVersion.CURRENT, workerId, job.runId(), job.trialId(), at, done, total,
                        job.trialIndex(), job.trialCount(), message, Instant.now()));
            } catch (RuntimeException e) {
                LOG.warnf("progress of trial %s was not delivered: %s", job.trialId(), e.getMessage());
            }
        }
    }
}
