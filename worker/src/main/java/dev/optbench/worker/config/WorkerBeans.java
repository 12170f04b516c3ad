package dev.optbench.worker.config;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.worker.WorkerIdentity;
import dev.optbench.contracts.hub.ModelHub;
import dev.optbench.worker.artifacts.ArtifactStore;
import dev.optbench.worker.artifacts.HubModels;
import dev.optbench.worker.artifacts.ModelsDirectory;
import dev.optbench.worker.artifacts.Quantizer;
import dev.optbench.worker.probes.HostProbe;
import dev.optbench.worker.probes.NvidiaSmi;
import dev.optbench.worker.quality.Corpora;
import dev.optbench.worker.quality.PerplexityRunner;
import dev.optbench.worker.server.ChildPidFiles;
import dev.optbench.worker.server.LlamaBinary;
import dev.optbench.worker.trial.TrialRunner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the worker's parts from {@link WorkerConfig}. The parts are plain classes, so tests build them the
 * same way without a container ({@link #trialRunner(WorkerConfig, WorkerIdentity, LlamaBinary, NvidiaSmi)}).
 */
@Singleton
public class WorkerBeans {
    private static final Logger LOG = Logger.getLogger(WorkerBeans.class);

    @Produces
    @Singleton
    WorkerIdentity identity(WorkerConfig config) {
        String id = config.id().filter(s -> !s.isBlank()).orElse(HostProbe.hostName() + "-" + ProcessHandle.current().pid());
        return new WorkerIdentity(id, config.pool());
    }

    @Produces
    @Singleton
    NvidiaSmi nvidiaSmi() {
        return NvidiaSmi.onPath();
    }

    @Produces
    @Singleton
    LlamaBinary llamaBinary(WorkerConfig config) {
        try {
            LlamaBinary binary = LlamaBinary.probe(config.llamaBinDir(), Duration.ofSeconds(30));
            LOG.infof("llama.cpp %s (commit %s, %s backend) in %s: %d flags", binary.version(), binary.commit(), binary.backend(),
                    binary.binDir(), binary.flags().size());
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Produces
    @Singleton
    HostProbe hostProbe(NvidiaSmi nvidiaSmi) {
        return new HostProbe(nvidiaSmi);
    }

    @Produces
    @Singleton
    TrialRunner trialRunner(WorkerConfig config, WorkerIdentity identity, LlamaBinary binary, NvidiaSmi nvidiaSmi) {
        ChildPidFiles pidFiles = new ChildPidFiles(config.workDir().resolve("pids"));
        int reaped = pidFiles.reapOrphans();
        if (reaped > 0) {
            LOG.warnf("killed %d llama.cpp processes left behind by a worker that died", reaped);
        }
        return build(config, identity.id(), binary, nvidiaSmi, pidFiles);
    }

    /** The hub models of a worker configured with a hub; none when it downloads nothing. */
    static Optional<HubModels> hubModels(WorkerConfig config) {
        WorkerConfig.Hub settings = config.modelHub();
        return settings.url().map(url -> new HubModels(new ModelHub(url, settings.token(), settings.requestTimeout(), settings.stallTimeout()),
                settings.cacheDir().orElse(config.workDir().resolve("hub"))));
    }

    /** The trial runner for a configuration, without a container. */
    public static TrialRunner build(WorkerConfig config, String workerId, LlamaBinary binary, NvidiaSmi nvidiaSmi, ChildPidFiles pidFiles) {
        ModelsDirectory models = new ModelsDirectory(config.modelsDir());
        ArtifactStore artifacts = new ArtifactStore(models, config.workDir(), config.vocabFile(),
                new Quantizer(binary.quantize(), config.artifactBuildTimeout(), pidFiles), hubModels(config));
        PerplexityRunner perplexity = new PerplexityRunner(binary.perplexity(), config.workDir(), config.perplexity().contextSize(),
                config.perplexity().maxChunks(), config.perplexity().timeout(), pidFiles);
        TrialRunner.Settings settings = new TrialRunner.Settings(config.server().healthTimeout(), config.server().stopGrace(),
                config.server().stderrTailLines(), config.workload().requestIdleTimeout(), config.workload().probeInterval(),
                config.workload().progressInterval());
        return new TrialRunner(workerId, binary, FlagPolicy.pinnedRelease(), models, artifacts, new Corpora(models, config.workDir()),
                perplexity, new HostProbe(nvidiaSmi), nvidiaSmi, pidFiles, config.workDir().resolve("trials"), settings);
    }
}
