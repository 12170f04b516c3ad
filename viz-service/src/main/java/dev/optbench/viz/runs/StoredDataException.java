package dev.optbench.viz.runs;

/**
 * The database could not be read, or a stored row is not what the orchestrator agreed to write.
 */
public class StoredDataException extends RuntimeException {
    public StoredDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
