package dev.optbench.orchestrator.outbox;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * The transactional outbox: messages are written as rows in the caller's transaction, together with the rows they
 * announce, and {@link OutboxRelay} publishes them after the commit. A run stored without its jobs, or a job
 * published for a run that was never stored, cannot happen; a job may be published twice (at least once).
 */
@ApplicationScoped
public class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    private static final int ROWS_PER_STATEMENT = 2_000;

    /** Fired inside the writing transaction; the relay observes it after a successful commit. */
    public record Written(int rows) {
    }

    private final Session session;
    private final Event<Written> written;

    public Outbox(Session session, Event<Written> written) {
        this.session = session;
        this.written = written;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        session.flush();
        session.doWork(connection -> {
            String sql = "INSERT INTO outbox (topic, message_key, payload, run_id, trial_id, created_at) "
                    + "SELECT m.topic, m.message_key, m.payload, m.run_id, m.trial_id, now() "
                    + "FROM unnest(?::text[], ?::text[], ?::text[], ?::uuid[], ?::uuid[]) WITH ORDINALITY "
                    + "AS m(topic, message_key, payload, run_id, trial_id, n) ORDER BY m.n";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int from = 0; from < messages.size(); from += ROWS_PER_STATEMENT) {
                    List<OutboxMessage> part = messages.subList(from, Math.min(messages.size(), from + ROWS_PER_STATEMENT));
                    int n = part.size();
                    String[] topics = new String[n];
                    String[] keys = new String[n];
                    String[] payloads = new String[n];
                    UUID[] runs = new UUID[n];
                    UUID[] trials = new UUID[n];
                    for (int i = 0; i < n; i++) {
                        OutboxMessage m = part.get(i);
                        topics[i] = m.topic();
                        keys[i] = m.key();
                        payloads[i] = Messages.toJson(m.message());
                        runs[i] = m.runId();
                        trials[i] = m.trialId();
                    }
                    insert.setArray(1, connection.createArrayOf("text", topics));
                    insert.setArray(2, connection.createArrayOf("text", keys));
                    insert.setArray(3, connection.createArrayOf("text", payloads));
                    insert.setArray(4, connection.createArrayOf("uuid", runs));
                    insert.setArray(5, connection.createArrayOf("uuid", trials));
                    insert.executeUpdate();
                }
            }
        });
        LOG.debugf("outbox: %d message(s) written", messages.size());
        written.fire(new Written(messages.size()));
    }

    /** Drops the run's jobs that are not published yet; returns how many. A job the relay is sending is kept. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int dropUnpublishedJobs(UUID runId) {
        session.flush();
        return session.doReturningWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM outbox WHERE run_id = ? AND published_at IS NULL AND refused_at IS NULL AND topic LIKE ?")) {
                delete.setObject(1, runId);
                delete.setString(2, Topics.JOBS_PREFIX.replace("_", "\\_") + "%");
                return delete.executeUpdate();
            }
        });
    }
}
