package dev.optbench.judge.scoring;

/**
 * The service is shutting down while a request waited: it stays unacknowledged and is judged after restart.
 */
public class JudgingStoppedException extends RuntimeException {
    public JudgingStoppedException(String message) {
        super(message);
    }
}
