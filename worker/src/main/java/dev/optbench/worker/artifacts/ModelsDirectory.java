package dev.optbench.worker.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models directory: the only place model files and user corpora are read from. A name is resolved to
 * its real path (symbolic links followed) and refused when that path leaves the directory.
 */
public final class ModelsDirectory {
    private final Path root;

    public ModelsDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * The real path of a regular file named relative to the directory.
     *
     * @throws ArtifactException when the name is absolute, leaves the directory, or names no regular file
     */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank() || relative.startsWith("/") || relative.contains("\\")) {
            throw new ArtifactException("'" + relative + "' must be a path relative to the models directory");
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            throw new ArtifactException("'" + relative + "' leaves the models directory");
        }
        if (!Files.exists(candidate)) {
            throw new ArtifactException("'" + relative + "' is not in the models directory " + root);
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new ArtifactException("'" + relative + "' is a link that leaves the models directory");
            }
            if (!Files.isRegularFile(real)) {
                throw new ArtifactException("'" + relative + "' is not a regular file");
            }
            return real;
        } catch (IOException e) {
            throw new ArtifactException("cannot read '" + relative + "' in the models directory: " + e.getMessage(), e);
        }
    }
}
