package dev.optbench.orchestrator.judging;

import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.orchestrator.outbox.Outbox;
import dev.optbench.orchestrator.outbox.OutboxMessage;
import dev.optbench.orchestrator.summaries.ReferenceTrials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Writes one {@link JudgeRequest} per answered sample of a run's succeeded trials into the outbox, once every
 * trial of the run is final. A sample is paired with its reference trial's sample of the same conversation, round
 * and repetition at the run's first concurrency level; the reference trial's own samples, and samples whose
 * counterpart is missing, go without a baseline answer (rubric and reference scoring only). A later round carries
 * the conversation's earlier user turns, from the workload the trials played.
 */
@ApplicationScoped
public class JudgeRequestPlanner {
    private static final Logger LOG = Logger.getLogger(JudgeRequestPlanner.class);
    private static final int MESSAGES_PER_WRITE = 2_000;

    private final Session session;
    private final Outbox outbox;

    public JudgeRequestPlanner(Session session, Outbox outbox) {
        this.session = session;
        this.outbox = outbox;
    }

    /** @return how many requests were written */
    @Transactional(Transactional.TxType.MANDATORY)
    public int plan(UUID runId, Workload workload, JudgeModelSpec judgeModel) {
        Map<String, List<Turn>> conversations = new HashMap<>();
        for (Conversation conversation : workload.conversations()) {
            conversations.put(conversation.conversationId(), conversation.turns());
        }
        int firstConcurrency = workload.concurrency().get(0);
        session.flush();
        int written = session.doReturningWork(connection -> {
            Map<UUID, UUID> references = ReferenceTrials.of(connection, runId);
            List<OutboxMessage> pending = new ArrayList<>();
            int count = 0;
            try (PreparedStatement select = pairedSamples(connection, runId, references, firstConcurrency);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID sampleId = rs.getObject(1, UUID.class);
                    UUID trialId = rs.getObject(2, UUID.class);
                    List<Turn> turns = conversations.getOrDefault(rs.getString(3), List.of());
                    int round = rs.getInt(4);
                    Turn turn = round < turns.size() ? turns.get(round) : null;
                    String prompt = rs.getString(5) != null ? rs.getString(5) : turn == null ? null : turn.prompt();
                    JudgeRequest request = new JudgeRequest(SchemaVersion.CURRENT, runId, trialId, sampleId,
                            rs.getObject(7, UUID.class), prompt, earlierPrompts(turns, round), rs.getString(6), rs.getString(8),
                            turn == null ? null : turn.reference(), judgeModel);
                    pending.add(new OutboxMessage(Topics.JUDGE, sampleId.toString(), request, runId, trialId));
                    if (pending.size() == MESSAGES_PER_WRITE) {
                        count += write(pending);
                    }
                }
            }
            return count + write(pending);
        });
        LOG.debugf("run %s: %d judge request(s) written to the outbox", runId, written);
        return written;
    }

    /** The user turns before round {@code round}, which the judge needs to judge a later round; null in round 0. */
    private static List<String> earlierPrompts(List<Turn> turns, int round) {
        if (round == 0 || round > turns.size()) {
            return null;
        }
        return turns.subList(0, round).stream().map(Turn::prompt).toList();
    }

    private int write(List<OutboxMessage> pending) {
        int n = pending.size();
        outbox.add(List.copyOf(pending));
        pending.clear();
        return n;
    }

    private static PreparedStatement pairedSamples(Connection connection, UUID runId, Map<UUID, UUID> references, int firstConcurrency)
            throws java.sql.SQLException {
        PreparedStatement select = connection.prepareStatement(
                "SELECT s.id, s.trial_id, s.conversation_id, s.round, s.prompt, s.answer, b.id, b.answer "
                        + "FROM sample s "
                        + "JOIN trial t ON t.id = s.trial_id AND t.status = 'SUCCEEDED' "
                        + "JOIN unnest(?::uuid[], ?::uuid[]) AS r(trial_id, reference_id) ON r.trial_id = s.trial_id "
                        + "LEFT JOIN sample b ON b.trial_id = r.reference_id AND b.conversation_id = s.conversation_id "
                        + "AND b.round = s.round AND b.repetition = s.repetition AND b.concurrency = ? "
                        + "AND b.error IS NULL AND b.answer IS NOT NULL "
                        + "WHERE s.run_id = ? AND s.error IS NULL AND s.answer IS NOT NULL "
                        + "ORDER BY s.trial_id, s.concurrency, s.repetition, s.conversation_id, s.round");
        UUID[] trials = references.keySet().toArray(UUID[]::new);
        UUID[] referenceIds = references.values().toArray(UUID[]::new);
        select.setArray(1, connection.createArrayOf("uuid", trials));
        select.setArray(2, connection.createArrayOf("uuid", referenceIds));
        select.setInt(3, firstConcurrency);
        select.setObject(4, runId);
        select.setFetchSize(1_000);
        return select;
    }
}
