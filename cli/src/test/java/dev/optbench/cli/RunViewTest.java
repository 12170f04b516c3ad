package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.optbench.contracts.messages.Messages;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunViewTest {
    private static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");

    /** A run as GET /api/runs/{id} returns it, with one trial per given status on the F16 artifact. */
    private static RunView run(String status, String... trialStatuses) {
        ObjectNode run = Messages.mapper().createObjectNode().put("id", "r1").put("name", "demo").put("status", status)
                .put("createdAt", CREATED.toString());
        run.putArray("artifacts").addObject().put("id", "a1").put("label", "F16");
        ArrayNode variants = run.putArray("variants");
        ArrayNode trials = run.putArray("trials");
        for (int i = 0; i < trialStatuses.length; i++) {
            variants.addObject().put("id", "v" + i).put("name", i == 0 ? "Baseline" : "Variant " + i);
            ObjectNode trial = trials.addObject().put("variantId", "v" + i).put("artifactId", "a1").put("status", trialStatuses[i]);
            if (trialStatuses[i].equals("RUNNING")) {
                trial.put("phase", "WORKLOAD").put("samplesDone", 3).put("samplesTotal", 12);
            }
        }
        return new RunView(run);
    }

    @Test
    void etaIsTheTimeSoFarScaledByTheTrialsLeft() {
        RunView view = run("RUNNING", "SUCCEEDED", "FAILED", "RUNNING", "QUEUED", "QUEUED", "QUEUED");
        assertEquals(Duration.ofMinutes(4), view.eta(CREATED.plus(Duration.ofMinutes(2))), "2 of 6 trials ended in 2 minutes");
    }

    @Test
    void thereIsNoEtaBeforeTheFirstTrialEndsNorAfterTheLast() {
        assertNull(run("RUNNING", "RUNNING", "QUEUED").eta(CREATED.plusSeconds(60)));
        assertNull(run("RUNNING", "SUCCEEDED", "CANCELLED").eta(CREATED.plusSeconds(60)));
    }

    @Test
    void theProgressLineHasTheTrialsDoneTheFailuresTheRunningTrialWithItsPhaseAndTheEta() {
        RunView view = run("RUNNING", "SUCCEEDED", "FAILED", "RUNNING", "QUEUED");
        assertEquals("[2/4 trials, 1 failed] running: Variant 2 · F16 (workload 3/12) — ETA 1m05s",
                view.progressLine(CREATED.plusSeconds(65)));
    }

    @Test
    void theProgressLineSaysWhenOnlyTheJudgeScoresAreAwaited() {
        assertEquals("[2/2 trials] running: waiting for judge scores", run("RUNNING", "SUCCEEDED", "SUCCEEDED")
                .progressLine(CREATED.plusSeconds(30)));
        assertEquals("[2/2 trials] completed", run("COMPLETED", "SUCCEEDED", "SUCCEEDED").progressLine(CREATED.plusSeconds(30)));
    }

    @Test
    void durationsReadAsSecondsThenMinutesAndSeconds() {
        assertEquals("59s", RunView.format(Duration.ofSeconds(59)));
        assertEquals("1m00s", RunView.format(Duration.ofSeconds(60)));
        assertEquals("12m07s", RunView.format(Duration.ofSeconds(727)));
        assertEquals("0s", RunView.format(Duration.ofSeconds(-3)), "a clock skew never shows a negative time");
    }
}
