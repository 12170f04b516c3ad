package dev.optbench.judge.consume;

/**
 * The broker did not take what the judge published: sent again while the failure is one that passes
 * ({@link PublishRetry}), otherwise the request is dead-lettered with it as the reason.
 */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
