package dev.optbench.judge.idle;

import dev.optbench.judge.config.JudgeConfig;
import dev.optbench.judge.scoring.StopSignal;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps judging off a machine while trials are measured on it. With
 * {@code optbench.judge.wait-for-idle-trials=true} every batch of judging first asks the orchestrator
 * whether a run is RUNNING and waits until none is; an answer of "none" is trusted for
 * {@code idle-check-interval}. When the orchestrator cannot be asked, judging waits too: proceeding could
 * disturb a measurement. Switched off (the default), judging relies on the orchestrator publishing a run's
 * requests only after its trials are final.
 */
@ApplicationScoped
public class IdleTrialsGate {
    private static final Logger LOG = Logger.getLogger(IdleTrialsGate.class);
    private final boolean enabled;
    private final RunningRuns runs;
    private final Duration interval;
    private final StopSignal stop;
    private Instant idleConfirmedAt;

    @Inject
    public IdleTrialsGate(JudgeConfig config, StopSignal stop) {
        this(config.waitForIdleTrials(), new RunningRuns(config.orchestratorUrl()), config.idleCheckInterval(), stop);
    }

    public IdleTrialsGate(boolean enabled, RunningRuns runs, Duration interval, StopSignal stop) {
        this.enabled = enabled;
        this.runs = runs;
        this.interval = interval;
        this.stop = stop;
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            LOG.infof("judging waits while the orchestrator reports RUNNING runs (%s)", runs.query());
        } else {
            LOG.info("optbench.judge.wait-for-idle-trials is off: judging does not ask the orchestrator whether trials run");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Returns when no run is RUNNING (at once when switched off). */
    public synchronized void awaitIdle() {
        if (!enabled || idleConfirmedAt != null && Duration.between(idleConfirmedAt, Instant.now()).compareTo(interval) < 0) {
            return;
        }
        Instant waitingSince = null;
        String lastReport = null;
        while (true) {
            RunningRuns.Answer answer = runs.ask();
            if (answer.running() != null && answer.running() == 0) {
                idleConfirmedAt = Instant.now();
                if (waitingSince != null) {
                    LOG.infof("no run is RUNNING any more: judging resumes after %s", Duration.between(waitingSince, idleConfirmedAt));
                }
                return;
            }
            String report = answer.problem() != null
                    ? "cannot tell whether trials run (" + answer.problem() + "): judging waits"
                    : answer.running() + " run(s) RUNNING: judging waits until none is";
            if (!report.equals(lastReport)) {
                if (answer.problem() != null) {
                    LOG.warn(report);
                } else {
                    LOG.info(report);
                }
                lastReport = report;
            }
            waitingSince = waitingSince == null ? Instant.now() : waitingSince;
            idleConfirmedAt = null;
            stop.pause(interval, "idle trials");
        }
    }
}
