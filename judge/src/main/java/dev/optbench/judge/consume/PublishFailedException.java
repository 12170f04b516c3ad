package dev.optbench.judge.consume;

/**
 * The broker did not take what the judge published; the request is not acknowledged, so it is judged again.
 */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
