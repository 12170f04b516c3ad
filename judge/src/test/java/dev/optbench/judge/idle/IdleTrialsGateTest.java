package dev.optbench.judge.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.judge.HttpExchangeServer;
import dev.optbench.judge.HttpExchangeServer.Answer;
import dev.optbench.judge.scoring.JudgingStoppedException;
import dev.optbench.judge.scoring.StopSignal;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleTrialsGateTest {

    @Test
    void waitsWhileTheOrchestratorReportsRunningRunsThenProceeds() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (HttpExchangeServer orchestrator = new HttpExchangeServer(request -> asked.incrementAndGet() < 3
                ? Answer.json("{\"items\":[{\"id\":\"r1\",\"status\":\"RUNNING\"}],\"total\":1}")
                : Answer.json("{\"items\":[],\"total\":0}"))) {
            IdleTrialsGate gate = new IdleTrialsGate(true, new RunningRuns(URI.create(orchestrator.url())), Duration.ofMillis(20), new StopSignal());
            gate.awaitIdle();
            assertEquals(3, asked.get());
            assertEquals("/api/runs", orchestrator.received().get(0).path());
            assertEquals("status=RUNNING", orchestrator.received().get(0).query());
        }
    }

    @Test
    void anIdleAnswerIsTrustedForTheCheckInterval() {
        try (HttpExchangeServer orchestrator = new HttpExchangeServer(request -> Answer.json("[]"))) {
            IdleTrialsGate gate = new IdleTrialsGate(true, new RunningRuns(URI.create(orchestrator.url())), Duration.ofMinutes(1), new StopSignal());
            gate.awaitIdle();
            gate.awaitIdle();
            assertEquals(1, orchestrator.received().size());
        }
    }

    @Test
    void anOrchestratorWithoutTheQueryKeepsJudgingWaitingRatherThanGuessing() throws Exception {
        try (HttpExchangeServer orchestrator = new HttpExchangeServer(request -> new Answer(404, "text/plain", "no such route"))) {
            StopSignal stop = new StopSignal();
            IdleTrialsGate gate = new IdleTrialsGate(true, new RunningRuns(URI.create(orchestrator.url())), Duration.ofMillis(20), stop);
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(gate::awaitIdle);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (orchestrator.received().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(orchestrator.received().size() >= 3, "asked again while it could not tell");
            assertTrue(!waiting.isDone(), "still waiting");
            stop.stop();
            Exception ended = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(ended.getCause() instanceof JudgingStoppedException, ended.toString());
        }
    }

    @Test
    void switchedOffItNeverAsks() {
        try (HttpExchangeServer orchestrator = new HttpExchangeServer(request -> Answer.json("[{\"id\":\"r\"}]"))) {
            new IdleTrialsGate(false, new RunningRuns(URI.create(orchestrator.url())), Duration.ofMillis(20), new StopSignal()).awaitIdle();
            assertEquals(0, orchestrator.received().size());
        }
    }

    @Test
    void readsArraysTotalsAndItemsAndRefusesOtherShapes() {
        try (HttpExchangeServer orchestrator = new HttpExchangeServer(request -> Answer.json("{\"runs\":[]}"))) {
            RunningRuns.Answer answer = new RunningRuns(URI.create(orchestrator.url() + "/")).ask();
            assertNull(answer.running());
            assertTrue(answer.problem().contains("neither an array"), answer.problem());
        }
        try (HttpExchangeServer orchestrator = new HttpExchangeServer(request -> Answer.json("[{\"id\":1},{\"id\":2}]"))) {
            assertEquals(2, new RunningRuns(URI.create(orchestrator.url())).ask().running());
        }
    }
}
