package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.WorkerCapabilities;
import dev.optbench.contracts.messages.WorkerEvent;
import dev.optbench.orchestrator.runs.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;

/**
 * Stores what workers publish on {@code bench.events}: their capabilities (the latest per worker, by the message's
 * time) and their trials' progress. Progress moves a trial to RUNNING (forward only) and counts an attempt for each
 * STARTED phase with a later time than the last, so a redelivered STARTED does not count twice.
 */
@ApplicationScoped
public class EventsStore implements BatchStore<WorkerEvent> {
    private static final String UPSERT_WORKER = "INSERT INTO worker (id, pool, capabilities, last_seen_at) VALUES (?, ?, ?::jsonb, ?) "
            + "ON CONFLICT (id) DO UPDATE SET pool = EXCLUDED.pool, capabilities = EXCLUDED.capabilities, "
            + "last_seen_at = EXCLUDED.last_seen_at WHERE worker.last_seen_at <= EXCLUDED.last_seen_at";
    private static final String PROGRESS = "UPDATE trial SET "
            + "attempts = CASE WHEN ? AND (started_at IS NULL OR started_at < ?) THEN attempts + 1 ELSE attempts END, "
            + "started_at = CASE WHEN ? AND (started_at IS NULL OR started_at < ?) THEN ? ELSE coalesce(started_at, ?) END, "
            + "status = CASE WHEN status IN ('PENDING', 'DISPATCHED') THEN 'RUNNING' ELSE status END, "
            + "phase = ?, samples_done = ?, samples_total = ?, worker_id = ? "
            + "WHERE id = ? AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')";

    private final Session session;
    private final RunService runs;

    public EventsStore(Session session, RunService runs) {
        this.session = session;
        this.runs = runs;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Rejection> store(List<Parsed<WorkerEvent>> batch) {
        List<Rejection> rejected = new ArrayList<>();
        Set<java.util.UUID> startedRuns = new LinkedHashSet<>();
        session.doWork(connection -> {
            KnownTrials trials = KnownTrials.lookUp(connection, batch.stream()
                    .map(p -> p.message() instanceof TrialProgress progress ? progress.trialId() : null).toList());
            try (PreparedStatement worker = connection.prepareStatement(UPSERT_WORKER);
                 PreparedStatement progress = connection.prepareStatement(PROGRESS)) {
                for (Parsed<WorkerEvent> parsed : batch) {
                    switch (parsed.message()) {
                        case WorkerCapabilities capabilities -> {
                            if (capabilities.workerId() == null || capabilities.pool() == null) {
                                rejected.add(new Rejection(parsed.record(), "worker capabilities without workerId or pool"));
                                continue;
                            }
                            worker.setString(1, capabilities.workerId());
                            worker.setString(2, capabilities.pool());
                            worker.setString(3, Messages.toJson(capabilities));
                            worker.setTimestamp(4, Timestamp.from(at(capabilities.at(), parsed)));
                            worker.addBatch();
                        }
                        case TrialProgress step -> {
                            String problem = trials.problem(step.trialId(), step.runId());
                            if (problem == null && step.phase() == null) {
                                problem = "trial progress without a phase";
                            }
                            if (problem != null) {
                                rejected.add(new Rejection(parsed.record(), problem));
                                continue;
                            }
                            boolean started = step.phase() == dev.optbench.contracts.messages.TrialPhase.STARTED;
                            Timestamp at = Timestamp.from(at(step.at(), parsed));
                            progress.setBoolean(1, started);
                            progress.setTimestamp(2, at);
                            progress.setBoolean(3, started);
                            progress.setTimestamp(4, at);
                            progress.setTimestamp(5, at);
                            progress.setTimestamp(6, at);
                            progress.setString(7, step.phase().name());
                            progress.setInt(8, step.samplesDone());
                            progress.setInt(9, step.samplesTotal());
                            progress.setString(10, step.workerId());
                            progress.setObject(11, step.trialId());
                            progress.addBatch();
                            startedRuns.add(trials.get(step.trialId()).runId());
                        }
                    }
                }
                worker.executeBatch();
                progress.executeBatch();
            }
        });
        startedRuns.forEach(runs::markRunning);
        return rejected;
    }

    /** The message's own time, or Kafka's when the producer left it out. */
    private static Instant at(Instant at, Parsed<?> parsed) {
        return at != null ? at : Instant.ofEpochMilli(parsed.record().timestamp());
    }
}
