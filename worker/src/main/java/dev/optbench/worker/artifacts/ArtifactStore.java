package dev.optbench.worker.artifacts;

import dev.optbench.contracts.messages.ArtifactInfo;
import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.contracts.spec.ModelRef;
import dev.optbench.gguf.GgufFile;
import dev.optbench.gguf.GgufFormatException;
import dev.optbench.gguf.GgufReader;
import dev.optbench.gguf.LayerPruner;
import dev.optbench.gguf.TinyModel;
import dev.optbench.worker.server.Cancellation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Finds or builds the model file a trial runs. A base model is a file in the models directory (or the
 * generated tiny model); a derived artifact is quantized by llama-quantize and/or layer-pruned, and cached
 * under {@code <work>/artifacts/<base sha256>/} by its operation. A lock per artifact, in this JVM and on
 * disk, makes a second trial that wants the same artifact wait for the first to build it.
 */
public final class ArtifactStore {
    private static final Logger LOG = Logger.getLogger(ArtifactStore.class);
    private static final Set<String> QUANTIZABLE = Set.of("F32", "F16", "BF16");
    private static final String TINY_FILE = "tiny-llama-f16.gguf";

    private final ModelsDirectory models;
    private final Path workDir;
    private final Optional<Path> vocabFile;
    private final Quantizer quantizer;
    private final Optional<HubModels> hub;
    private final Sha256Index hashes;
    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** A store whose worker downloads nothing: {@code hf:} refs are refused. */
    public ArtifactStore(ModelsDirectory models, Path workDir, Optional<Path> vocabFile, Quantizer quantizer) {
        this(models, workDir, vocabFile, quantizer, Optional.empty());
    }

    /** @param hub where {@code hf:} models come from, or empty when this worker downloads nothing */
    public ArtifactStore(ModelsDirectory models, Path workDir, Optional<Path> vocabFile, Quantizer quantizer, Optional<HubModels> hub) {
        this.models = models;
        this.workDir = workDir;
        this.vocabFile = vocabFile;
        this.quantizer = quantizer;
        this.hub = hub;
        this.hashes = new Sha256Index(workDir.resolve("hashes"));
    }

    /** A resolved artifact: the file and what the worker reports about it. */
    public record Artifact(Path path, ArtifactInfo info) {
    }

    /**
     * @param logDir where llama-quantize's output goes
     * @throws ArtifactException when the model cannot be found, read or built
     */
    public Artifact resolve(ArtifactSpec spec, Path logDir, Cancellation cancellation) {
        return resolve(spec, logDir, cancellation, message -> { });
    }

    /**
     * @param progress told what takes long (a model's download), for the trial's progress events
     * @throws ArtifactException when the model cannot be found, downloaded, read or built
     */
    public Artifact resolve(ArtifactSpec spec, Path logDir, Cancellation cancellation, Consumer<String> progress) {
        long started = System.nanoTime();
        try {
            Plan plan = plan(spec, ref -> hubModels(ref).fetch(ref, progress, cancellation));
            if (plan.target().equals(plan.base())) {
                return new Artifact(plan.base(), info(plan.base(), plan.baseModel(), displayName(plan.base()), null));
            }
            Path target = plan.target();
            boolean built = withLock(target, () -> {
                if (Files.exists(target)) {
                    return false;
                }
                build(plan.base(), target, plan.quantization(), plan.prune(), plan.from(), logDir, cancellation);
                return true;
            });
            Long buildMillis = built ? (System.nanoTime() - started) / 1_000_000 : null;
            LOG.debugf("artifact %s: %s (%s)", spec.label(), target, built ? "built" : "cached");
            return new Artifact(target, info(target, read(target), target.getFileName().toString(), buildMillis));
        } catch (IOException e) {
            throw new ArtifactException("cannot prepare " + spec.label() + ": " + e.getMessage(), e);
        }
    }

    /** Where an artifact is or will be, without building it. */
    public Path plannedPath(ArtifactSpec spec) {
        try {
            return plan(spec, this::downloadedBefore).target();
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + spec.label() + ": " + e.getMessage(), e);
        }
    }

    /** What an artifact needs: its base, the operations, and where the result lives (the base itself when none). */
    private record Plan(Path base, GgufFile baseModel, String quantization, int prune, LayerPruner.From from, Path target) {
    }

    private Plan plan(ArtifactSpec spec, Function<ModelRef, Path> fromHub) throws IOException {
        Path base = basePath(spec.modelRef(), fromHub);
        GgufFile baseModel = read(base);
        String quantization = quantizationFor(spec, baseModel);
        int prune = Math.max(0, spec.pruneLayers());
        if (quantization == null && prune == 0) {
            return new Plan(base, baseModel, null, 0, null, base);
        }
        LayerPruner.From from = prune > 0 ? parseFrom(spec.pruneFrom()) : null;
        if (prune >= baseModel.blockCount()) {
            throw new ArtifactException("cannot drop " + prune + " of the model's " + baseModel.blockCount() + " blocks");
        }
        String operation = (quantization == null ? "" : quantization)
                + (prune > 0 ? (quantization == null ? "" : ".") + "pruned-" + prune + "-" + from.name().toLowerCase(Locale.ROOT) : "");
        String stem = base.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        Path target = workDir.resolve("artifacts").resolve(hashes.sha256(base)).resolve(stem + "." + operation + ".gguf");
        return new Plan(base, baseModel, quantization, prune, from, target);
    }

    /** The base model file a ref names, without building or downloading anything. */
    public Path basePath(String modelRef) throws IOException {
        return basePath(modelRef, this::downloadedBefore);
    }

    private Path downloadedBefore(ModelRef ref) {
        return hubModels(ref).cached(ref).orElseThrow(() -> new ArtifactException(
                "model '" + ref.text() + "' is not downloaded yet: a trial of it downloads it"));
    }

    private Path basePath(String modelRef, Function<ModelRef, Path> fromHub) throws IOException {
        ModelRef ref;
        try {
            ref = ModelRef.parse(modelRef);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("model '" + modelRef + "' " + e.getMessage());
        }
        return switch (ref.kind()) {
            case FILE -> models.resolve(ref.path());
            case SYNTHETIC -> tinyModel();
            case HF -> fromHub.apply(ref);
        };
    }

    private HubModels hubModels(ModelRef ref) {
        return hub.orElseThrow(() -> new ArtifactException("model '" + ref.text() + "' needs a download, and this worker downloads "
                + "nothing: start it with a model hub (OPTBENCH_MODEL_HUB_URL), or put the GGUF file in the models directory"));
    }

    private Path tinyModel() throws IOException {
        Path inModels = models.root().resolve(TINY_FILE);
        if (Files.exists(inModels)) {
            return models.resolve(TINY_FILE);
        }
        Path vocab = vocabFile.filter(Files::isRegularFile).orElseThrow(() -> new ArtifactException(
                "synthetic:tiny needs " + TINY_FILE + " in the models directory, or optbench.worker.vocab-file to write it"));
        Path target = workDir.resolve("synthetic").resolve(TINY_FILE);
        withLock(target, () -> {
            if (!Files.exists(target)) {
                Path partial = partial(target);
                TinyModel.DEFAULT.write(vocab, partial);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return true;
        });
        return target;
    }

    private void build(Path base, Path target, String quantization, int prune, LayerPruner.From from, Path logDir,
                       Cancellation cancellation) throws IOException {
        Path source = base;
        Path quantized = null;
        try {
            if (quantization != null) {
                quantized = partial(target);
                quantizer.quantize(base, quantized, quantization, logDir.resolve("quantize.log"), cancellation);
                source = quantized;
            }
            Path result = source;
            if (prune > 0) {
                result = partial(target);
                LayerPruner.prune(source, result, prune, from);
            }
            if (cancellation.isCancelled()) {
                throw new ArtifactException("building the artifact was cancelled: " + cancellation.reason());
            }
            Files.move(result, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (quantized != null) {
                Files.deleteIfExists(quantized);
            }
            try (var leftovers = Files.list(target.getParent())) {
                for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith(target.getFileName() + ".partial-")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A base model's name as the user wrote it: its path inside the models directory. */
    private String displayName(Path base) throws IOException {
        Path root = models.root().toRealPath();
        if (base.startsWith(root)) {
            return root.relativize(base).toString();
        }
        return hub.flatMap(h -> h.displayName(base)).orElse(base.getFileName().toString());
    }

    private static String quantizationFor(ArtifactSpec spec, GgufFile base) {
        if (spec.quantization() == null || spec.quantization().isBlank()) {
            return null;
        }
        String type = spec.quantization().strip().toUpperCase(Locale.ROOT);
        String baseType = base.fileType().toUpperCase(Locale.ROOT);
        if (type.equals(baseType)) {
            return null;
        }
        if (!QUANTIZABLE.contains(baseType)) {
            throw new ArtifactException("llama-quantize makes " + type + " from an F32, F16 or BF16 model; "
                    + spec.modelRef() + " is " + baseType);
        }
        return type;
    }

    private static LayerPruner.From parseFrom(String from) {
        try {
            return LayerPruner.From.parse(from == null ? "end" : from);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(e.getMessage());
        }
    }

    private ArtifactInfo info(Path path, GgufFile model, String fileName, Long buildMillis) throws IOException {
        long kvBytes = model.kvBytesPerPosition();
        return new ArtifactInfo(fileName, hashes.sha256(path), Files.size(path), model.architecture(), model.fileType(),
                model.blockCount(), model.parameterCount(), buildMillis, model.decodeWeightBytes(), kvBytes > 0 ? kvBytes : null);
    }

    private static GgufFile read(Path path) throws IOException {
        try {
            return GgufReader.read(path);
        } catch (GgufFormatException e) {
            throw new ArtifactException(path.getFileName() + " is not a readable GGUF model: " + e.getMessage(), e);
        }
    }

    private static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial-" + UUID.randomUUID());
    }

    @FunctionalInterface
    private interface Build {
        boolean run() throws IOException;
    }

    /** Runs {@code build} holding the artifact's lock: one thread of this JVM, and one process on this disk. */
    private boolean withLock(Path target, Build build) throws IOException {
        Files.createDirectories(target.getParent());
        ReentrantLock lock = locks.computeIfAbsent(target, t -> new ReentrantLock());
        lock.lock();
        try (FileChannel channel = FileChannel.open(target.resolveSibling(target.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return build.run();
        } finally {
            lock.unlock();
        }
    }
}
