package dev.optbench.contracts.hub;

/**
 * A model the hub cannot give: no such repository or file, no access, a download that broke or does not match the
 * hub's SHA-256. The message is fit for a trial's failure reason or a CLI error.
 */
public class ModelHubException extends RuntimeException {
    public ModelHubException(String message) {
        super(message);
    }

    public ModelHubException(String message, Throwable cause) {
        super(message, cause);
    }
}
