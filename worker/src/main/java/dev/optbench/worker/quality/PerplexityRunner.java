package dev.optbench.worker.quality;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.worker.artifacts.ArtifactStore;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.server.ChildPidFiles;
import dev.optbench.worker.server.LogTail;
import dev.optbench.worker.server.ToolProcess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Perplexity, KL divergence and top-token agreement of an artifact with the real {@code llama-perplexity}.
 * The baseline artifact's logits on a corpus are written once ({@code --kl-divergence-base}) under
 * {@code <work>/logits/}, keyed by (baseline sha256, corpus sha256, context, chunks), and every other artifact
 * of that model is compared against them ({@code --kl-divergence}).
 */
public final class PerplexityRunner {
    private static final Logger LOG = Logger.getLogger(PerplexityRunner.class);

    private final Path binary;
    private final Path logitsDir;
    private final int contextSize;
    private final int maxChunks;
    private final Duration timeout;
    private final ChildPidFiles pidFiles;
    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    public PerplexityRunner(Path binary, Path workDir, int contextSize, int maxChunks, Duration timeout, ChildPidFiles pidFiles) {
        this.binary = binary;
        this.logitsDir = workDir.resolve("logits");
        this.contextSize = contextSize;
        this.maxChunks = maxChunks;
        this.timeout = timeout;
        this.pidFiles = pidFiles;
    }

    /**
     * @param baseline  the artifact whose logits are the KL-divergence base (the artifact itself for a model's
     *                  baseline, whose run writes them), or null for perplexity alone
     * @param placement the variant's device and thread flags, so the tool runs where the trial ran
     * @throws PerplexityException when llama-perplexity fails or prints no figures
     */
    public PerplexityFigures measure(ArtifactStore.Artifact artifact, ArtifactStore.Artifact baseline, Corpus corpus,
                                     List<String> placement, Path logDir, Cancellation cancellation) throws IOException {
        if (baseline == null) {
            Path log = logDir.resolve("perplexity.log");
            run(arguments(artifact.path(), placement, List.of("-f", corpus.file().toString())), log, cancellation);
            return checked(PerplexityOutput.plain(corpus.name(), read(log)), log);
        }
        Path logits = logitsDir.resolve(baseline.info().sha256() + "-" + corpus.sha256().substring(0, 16)
                + "-c" + contextSize + "-n" + maxChunks + ".kld");
        PerplexityFigures baseFigures = baseLogits(baseline, corpus, logits, placement, logDir, cancellation);
        if (artifact.info().sha256().equals(baseline.info().sha256())) {
            return baseFigures;
        }
        Path log = logDir.resolve("kl-divergence.log");
        run(arguments(artifact.path(), placement, List.of("--kl-divergence-base", logits.toString(), "--kl-divergence")), log, cancellation);
        return checked(PerplexityOutput.klDivergence(corpus.name(), read(log)), log);
    }

    /** Writes the baseline's logits unless they exist; returns the baseline's own figures on the corpus. */
    private PerplexityFigures baseLogits(ArtifactStore.Artifact baseline, Corpus corpus, Path logits, List<String> placement,
                                         Path logDir, Cancellation cancellation) throws IOException {
        Files.createDirectories(logitsDir);
        Path figuresFile = logits.resolveSibling(logits.getFileName() + ".json");
        ReentrantLock lock = locks.computeIfAbsent(logits, l -> new ReentrantLock());
        lock.lock();
        try (FileChannel channel = FileChannel.open(logits.resolveSibling(logits.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.exists(logits) && Files.exists(figuresFile)) {
                return Messages.mapper().readValue(figuresFile.toFile(), PerplexityFigures.class);
            }
            Path partial = logits.resolveSibling(logits.getFileName() + ".partial");
            Path log = logDir.resolve("kl-divergence-base.log");
            try {
                run(arguments(baseline.path(), placement, List.of("-f", corpus.file().toString(), "--kl-divergence-base", partial.toString())),
                        log, cancellation);
                PerplexityFigures figures = checked(PerplexityOutput.plain(corpus.name(), read(log)), log);
                Files.move(partial, logits, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(figuresFile, Messages.toJson(figures), StandardCharsets.UTF_8);
                LOG.infof("base logits for %s on %s: %s (%d MB)", baseline.info().fileName(), corpus.name(), logits,
                        Files.size(logits) / (1024 * 1024));
                return figures;
            } finally {
                Files.deleteIfExists(partial);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<String> arguments(Path model, List<String> placement, List<String> mode) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--model", model.toString(), "--ctx-size", Integer.toString(contextSize)));
        if (maxChunks > 0) {
            argv.addAll(List.of("--chunks", Integer.toString(maxChunks)));
        }
        argv.addAll(placement);
        argv.addAll(mode);
        return argv;
    }

    private void run(List<String> argv, Path log, Cancellation cancellation) throws IOException {
        ToolProcess.Result result = ToolProcess.run(argv, log, timeout, pidFiles, cancellation);
        if (result.cancelled()) {
            throw new PerplexityException("llama-perplexity was stopped: " + cancellation.reason());
        }
        if (result.timedOut()) {
            throw new PerplexityException("llama-perplexity did not finish within " + timeout.toMinutes() + " min");
        }
        if (!result.succeeded()) {
            String why = LogTail.errorLine(LogTail.lines(log, 60));
            throw new PerplexityException("llama-perplexity failed with status " + result.exitCode() + (why == null ? "" : ": " + why));
        }
    }

    private static PerplexityFigures checked(PerplexityFigures figures, Path log) {
        if (figures == null) {
            throw new PerplexityException("llama-perplexity printed no figures; see " + log);
        }
        if (!Double.isFinite(figures.perplexity())) {
            throw new PerplexityException("llama-perplexity gave a perplexity of " + figures.perplexity() + "; see " + log);
        }
        return figures;
    }

    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    /** llama-perplexity failed or gave no figures; the trial fails with this message. */
    public static class PerplexityException extends RuntimeException {
        public PerplexityException(String message) {
            super(message);
        }
    }
}
