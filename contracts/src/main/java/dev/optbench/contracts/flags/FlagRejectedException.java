package dev.optbench.contracts.flags;

/**
 * A flag the policy refuses; the message completes a sentence that starts with the flag's name.
 */
public class FlagRejectedException extends RuntimeException {
    public FlagRejectedException(String message) {
        super(message);
    }
}
