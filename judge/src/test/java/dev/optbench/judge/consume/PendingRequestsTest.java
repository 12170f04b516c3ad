package dev.optbench.judge.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeUnavailableException;
import dev.optbench.judge.scoring.EndpointBackoff;
import dev.optbench.judge.scoring.JudgeMetrics;
import dev.optbench.judge.scoring.JudgingStoppedException;
import dev.optbench.judge.scoring.RetryPolicy;
import dev.optbench.judge.scoring.StopSignal;
import dev.optbench.testsupport.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final JudgeEndpoint DOWN = new JudgeEndpoint("openai", "http://127.0.0.1:8/v1", "down", null);
    private static final JudgeUnavailableException REFUSED = new JudgeUnavailableException("connection refused", null);

    private final StopSignal stop = new StopSignal();
    private final JudgeMetrics metrics = new JudgeMetrics(new SimpleMeterRegistry());

    @AfterEach
    void stopRetries() {
        stop.stop();
    }

    @Test
    void aSetAsideRequestIsTriedAgainOnItsOwnThreadOnceItsEndpointMayBeAskedUntilItIsDone() throws InterruptedException {
        EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(100), null), Duration.ofHours(1), DOWN);
        PendingRequests pending = new PendingRequests(backoff, stop, metrics, 10);
        backoff.failed(DOWN, REFUSED);
        Instant askAgainAt = backoff.askAgainAt(DOWN, Instant.now());
        List<Instant> triedAt = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        pending.setAside(DOWN, () -> {
            triedAt.add(Instant.now());
            threads.add(Thread.currentThread().getName());
            if (triedAt.size() == 1) {
                backoff.failed(DOWN, REFUSED);
                return false;
            }
            return true;
        });
        assertEquals(List.of(), triedAt, "setting aside returns at once, without trying");
        assertEquals(1, metrics.setAside().get());
        Await.until(() -> triedAt.size() == 2 && metrics.setAside().get() == 0, WAIT, "tried again until done");
        assertFalse(triedAt.get(0).isBefore(askAgainAt), "not tried before its endpoint may be asked");
        assertFalse(triedAt.get(1).isBefore(triedAt.get(0).plusMillis(100)), "a try that must wait again waits for the endpoint again");
        assertEquals(List.of("judge-set-aside", "judge-set-aside"), threads);
    }

    @Test
    void whenAsManyWaitAsAllowedTheNextWaitsForRoom() throws Exception {
        EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(10), null), Duration.ofHours(1), DOWN);
        PendingRequests pending = new PendingRequests(backoff, stop, metrics, 1);
        backoff.failed(DOWN, REFUSED);
        AtomicInteger done = new AtomicInteger();
        pending.setAside(DOWN, () -> done.incrementAndGet() > 0);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> pending.setAside(DOWN, () -> done.incrementAndGet() > 0));
        Thread.sleep(300);
        assertFalse(second.isDone(), "no room while the first waits");

        backoff.answered(DOWN);
        second.get(10, TimeUnit.SECONDS);
        Await.until(() -> done.get() == 2, WAIT, "both are tried once the endpoint answers");
    }

    @Test
    void aStopEndsTheWaitForRoom() {
        EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(10), null), Duration.ofHours(1), DOWN);
        PendingRequests pending = new PendingRequests(backoff, stop, metrics, 1);
        backoff.failed(DOWN, REFUSED);
        pending.setAside(DOWN, () -> true);
        stop.stop();
        assertThrows(JudgingStoppedException.class, () -> pending.setAside(DOWN, () -> true));
    }
}
