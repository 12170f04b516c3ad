package dev.optbench.judge.scoring;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeUnavailableException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EndpointBackoffTest {
    private static final JudgeEndpoint DEFAULT_JUDGE = new JudgeEndpoint("openai", "http://127.0.0.1:8090/v1", "judge", null);
    private static final JudgeEndpoint RUN_JUDGE = new JudgeEndpoint("ollama", "http://gpu-box:11434", "qwen2.5:14b-instruct", null);
    private static final JudgeUnavailableException REFUSED = new JudgeUnavailableException("connection refused", null);

    private static void assertWaitsAbout(Duration wait, Instant before, Instant askAgainAt, Instant after) {
        assertFalse(askAgainAt.isBefore(before.plus(wait)), askAgainAt + " is before " + before.plus(wait));
        assertFalse(askAgainAt.isAfter(after.plus(wait)), askAgainAt + " is after " + after.plus(wait));
    }

    @Test
    void theWaitDoublesWithEachFailureUpToTheLongestAndEndsWhenACallIsAnswered() {
        EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), null), Duration.ofHours(1),
                DEFAULT_JUDGE);
        for (Duration wait : new Duration[] {Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30)}) {
            Instant before = Instant.now();
            assertInstanceOf(EndpointDownException.class, backoff.failed(DEFAULT_JUDGE, REFUSED));
            assertWaitsAbout(wait, before, backoff.askAgainAt(DEFAULT_JUDGE, Instant.now()), Instant.now());
        }
        EndpointDownException waiting = assertThrows(EndpointDownException.class, () -> backoff.beforeCall(DEFAULT_JUDGE));
        assertEquals(DEFAULT_JUDGE, waiting.endpoint());
        assertTrue(waiting.getMessage().contains("connection refused"), waiting.getMessage());
        assertDoesNotThrow(() -> backoff.beforeCall(RUN_JUDGE), "another endpoint is asked as usual");

        backoff.answered(DEFAULT_JUDGE);
        assertDoesNotThrow(() -> backoff.beforeCall(DEFAULT_JUDGE));
        assertFalse(backoff.askAgainAt(DEFAULT_JUDGE, Instant.now()).isAfter(Instant.now()));
        Instant before = Instant.now();
        backoff.failed(DEFAULT_JUDGE, REFUSED);
        assertWaitsAbout(Duration.ofSeconds(10), before, backoff.askAgainAt(DEFAULT_JUDGE, Instant.now()), Instant.now());
    }

    @Test
    void aRunJudgeIsGivenUpAfterItsGiveUpTimeWhileTheDefaultJudgeWaitsAsLongAsItTakes() {
        EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(1), null), Duration.ZERO,
                DEFAULT_JUDGE);
        JudgeUnavailableException gaveUp = assertInstanceOf(JudgeUnavailableException.class, backoff.failed(RUN_JUDGE, REFUSED));
        assertEquals("gave up after judge ollama:qwen2.5:14b-instruct at http://gpu-box:11434 did not answer for PT0S: connection refused",
                gaveUp.getMessage());
        assertThrows(JudgeUnavailableException.class, () -> backoff.beforeCall(RUN_JUDGE), "its other requests are given up without a call");
        assertFalse(backoff.askAgainAt(RUN_JUDGE, Instant.now()).isAfter(Instant.now()), "set-aside requests for it are taken at once, to be dead-lettered");

        assertInstanceOf(EndpointDownException.class, backoff.failed(DEFAULT_JUDGE, REFUSED));
        assertThrows(EndpointDownException.class, () -> backoff.beforeCall(DEFAULT_JUDGE));
    }

    @Test
    void theDefaultJudgeIsGivenUpOnlyWithAGiveUpTime() {
        EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ZERO),
                Duration.ofHours(1), DEFAULT_JUDGE);
        assertInstanceOf(JudgeUnavailableException.class, backoff.failed(DEFAULT_JUDGE, REFUSED));
        assertInstanceOf(EndpointDownException.class, backoff.failed(RUN_JUDGE, REFUSED));
    }
}
