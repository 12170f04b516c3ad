package dev.optbench.worker.artifacts;

/**
 * A model artifact that cannot be found, read or built; the trial fails with this message as its reason.
 */
public class ArtifactException extends RuntimeException {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
