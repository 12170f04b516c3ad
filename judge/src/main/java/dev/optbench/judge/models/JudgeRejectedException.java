package dev.optbench.judge.models;

/**
 * The judge endpoint answered with a refusal that asking again will not change (unknown model, bad request,
 * authentication), or a run named a judge that cannot be used. The request goes to the dead-letter topic with
 * this message as the reason.
 */
public class JudgeRejectedException extends RuntimeException {
    public JudgeRejectedException(String message) {
        super(message);
    }

    public JudgeRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
