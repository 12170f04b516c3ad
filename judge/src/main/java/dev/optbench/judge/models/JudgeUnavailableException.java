package dev.optbench.judge.models;

/**
 * The judge endpoint did not answer: connection refused, timed out, overloaded (429) or failing (5xx).
 * The request stays pending and is asked again after a backoff.
 */
public class JudgeUnavailableException extends RuntimeException {
    public JudgeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
