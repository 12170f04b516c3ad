package dev.optbench.worker.artifacts;

import dev.optbench.contracts.hub.ModelHub;
import dev.optbench.contracts.hub.ModelHubException;
import dev.optbench.contracts.spec.ModelRef;
import dev.optbench.worker.server.Cancellation;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The {@code hf:} models of a worker that may download: fetched from its hub into its cache before the trial's
 * server starts, so a trial's load time never includes a download, and the file is there to hash, quantize,
 * prune and measure perplexity on like any file of the models directory.
 */
public final class HubModels {
    private static final Logger LOG = Logger.getLogger(HubModels.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final ModelHub hub;
    private final Path cacheDir;

    public HubModels(ModelHub hub, Path cacheDir) {
        this.hub = hub;
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The model file of an {@code hf:} ref, downloaded first when the cache lacks it.
     *
     * @param progress told how the download goes, at most every 5 seconds
     * @throws ArtifactException when the hub cannot give it or the download is cancelled
     */
    public Path fetch(ModelRef ref, Consumer<String> progress, Cancellation cancellation) {
        long[] lastReport = {0};
        try {
            ModelHub.Fetched fetched = hub.fetch(ref.hfRepo(), ref.hfQuant(), cacheDir, (file, done, total) -> {
                long now = System.nanoTime();
                if (done == total || now - lastReport[0] >= PROGRESS_EVERY_NANOS) {
                    lastReport[0] = now;
                    progress.accept("downloading " + file + " from " + hub.endpoint().getHost() + ": " + megabytes(done)
                            + (total > 0 ? " of " + megabytes(total) : ""));
                }
            }, cancellation::isCancelled);
            if (fetched.downloadedBytes() > 0) {
                LOG.infof("%s: downloaded %s (%s) at commit %s", ref.text(), fetched.model(), megabytes(fetched.downloadedBytes()), fetched.commit());
            }
            return fetched.model();
        } catch (ModelHubException e) {
            throw new ArtifactException(cancellation.isCancelled() ? "the download was cancelled: " + cancellation.reason() : e.getMessage(), e);
        }
    }

    /** The model file of an {@code hf:} ref when an earlier trial downloaded it. */
    public Optional<Path> cached(ModelRef ref) {
        return ModelHub.cached(ref.hfRepo(), ref.hfQuant(), cacheDir).map(ModelHub.Fetched::model);
    }

    /** How a downloaded file is named in results: {@code <user>/<repo>/<file>}. */
    public Optional<String> displayName(Path file) {
        Path normal = file.toAbsolutePath().normalize();
        if (!normal.startsWith(cacheDir) || cacheDir.relativize(normal).getNameCount() < 5) {
            return Optional.empty();
        }
        Path relative = cacheDir.relativize(normal);
        return Optional.of(relative.getName(0) + "/" + relative.getName(1) + "/" + relative.getFileName());
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
