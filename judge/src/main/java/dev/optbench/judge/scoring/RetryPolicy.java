package dev.optbench.judge.scoring;

import java.time.Duration;

/**
 * How long to wait for a judge endpoint that does not answer: exponential backoff from {@code initial} to
 * {@code max}; {@code giveUpAfter} null waits as long as it takes.
 */
public record RetryPolicy(Duration initial, Duration max, Duration giveUpAfter) {

    public Duration next(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
