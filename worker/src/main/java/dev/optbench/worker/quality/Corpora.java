package dev.optbench.worker.quality;

import dev.optbench.contracts.corpora.BuiltinCorpus;
import dev.optbench.worker.artifacts.ArtifactException;
import dev.optbench.worker.artifacts.ModelsDirectory;
import dev.optbench.worker.artifacts.Sha256Index;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Finds a perplexity corpus: a shipped one (written once to {@code <work>/corpora/}) or a text file under
 * the models directory.
 */
public final class Corpora {
    private final ModelsDirectory models;
    private final Path dir;

    public Corpora(ModelsDirectory models, Path workDir) {
        this.models = models;
        this.dir = workDir.resolve("corpora");
    }

    /** @throws ArtifactException when the corpus is unknown or outside the models directory */
    public Corpus resolve(String name) {
        try {
            Path file = BuiltinCorpus.isBuiltin(name) ? builtin(name) : models.resolve(name);
            return new Corpus(name, file, Sha256Index.hashFile(file));
        } catch (IOException e) {
            throw new ArtifactException("cannot read corpus '" + name + "': " + e.getMessage(), e);
        }
    }

    private Path builtin(String name) throws IOException {
        byte[] text;
        try {
            text = BuiltinCorpus.bytes(name);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("corpus '" + name + "' " + e.getMessage());
        }
        Path file = dir.resolve(name.substring(BuiltinCorpus.PREFIX.length()) + ".txt");
        if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), text)) {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "corpus-", ".partial");
            Files.write(partial, text);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }
}
