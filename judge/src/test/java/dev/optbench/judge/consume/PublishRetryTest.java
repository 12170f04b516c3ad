package dev.optbench.judge.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.judge.scoring.JudgingStoppedException;
import dev.optbench.judge.scoring.RetryPolicy;
import dev.optbench.judge.scoring.StopSignal;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class PublishRetryTest {
    private static final RetryPolicy QUICK = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), null);

    @Test
    void timeoutsAndRetriableErrorsArePublishedAgainUntilTheBrokerTakesThem() {
        AtomicInteger attempts = new AtomicInteger();
        new PublishRetry(new StopSignal(), QUICK).publish("scores", () -> {
            switch (attempts.incrementAndGet()) {
                case 1 -> throw new PublishFailedException("no ack in 120 s", new TimeoutException());
                case 2 -> throw new PublishFailedException("expired", new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)"));
                case 3 -> throw new PublishFailedException("moving", new NotLeaderOrFollowerException("moving"));
                default -> { }
            }
        });
        assertEquals(4, attempts.get());
    }

    @Test
    void aNonRetriableErrorEndsTheAttemptsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        PublishFailedException tooLarge = new PublishFailedException("too large", new RecordTooLargeException("too large"));
        PublishFailedException thrown = assertThrows(PublishFailedException.class, () -> new PublishRetry(new StopSignal(), QUICK).publish("scores", () -> {
            attempts.incrementAndGet();
            throw tooLarge;
        }));
        assertSame(tooLarge, thrown);
        assertEquals(1, attempts.get());
        assertFalse(PublishRetry.retriable(tooLarge));
        assertTrue(PublishRetry.retriable(new PublishFailedException("x", new NotLeaderOrFollowerException("x"))));
    }

    @Test
    void aStoppingServiceEndsTheWaitSoTheRequestStaysUnacknowledged() {
        StopSignal stop = new StopSignal();
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(JudgingStoppedException.class, () -> new PublishRetry(stop, QUICK).publish("scores", () -> {
            if (attempts.incrementAndGet() == 3) {
                stop.stop();
            }
            throw new PublishFailedException("no ack", new TimeoutException());
        }));
        assertEquals(3, attempts.get());
    }
}
