package dev.optbench.worker.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class ResultDeliveryTest {
    private static final Duration QUICK = Duration.ofMillis(1);

    @Test
    void timeoutsAndRetriableErrorsAreTriedAgainUntilTheBrokerTakesTheResults() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        int took = new ResultDelivery(() -> true, QUICK).deliver("trial t", () -> {
            switch (attempts.incrementAndGet()) {
                case 1 -> throw new TimeoutException("no ack in 60 s");
                case 2 -> throw new ExecutionException(new org.apache.kafka.common.errors.TimeoutException("metadata"));
                case 3 -> throw new ExecutionException(new NotLeaderOrFollowerException("moving"));
                default -> { }
            }
        });
        assertEquals(4, took);
        assertEquals(4, attempts.get());
    }

    @Test
    void aNonRetriableErrorEndsTheAttemptsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        ExecutionException tooLarge = new ExecutionException(new RecordTooLargeException("too large"));
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> new ResultDelivery(() -> true, QUICK).deliver("trial t", () -> {
            attempts.incrementAndGet();
            throw tooLarge;
        }));
        assertSame(tooLarge, thrown);
        assertEquals(1, attempts.get());
    }

    @Test
    void aStoppingWorkerGivesUpSoTheJobStaysUncommittedForAnotherWorker() {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(TimeoutException.class, () -> new ResultDelivery(running::get, QUICK).deliver("trial t", () -> {
            if (attempts.incrementAndGet() == 3) {
                running.set(false);
            }
            throw new TimeoutException("no ack");
        }));
        assertEquals(3, attempts.get());
    }
}
