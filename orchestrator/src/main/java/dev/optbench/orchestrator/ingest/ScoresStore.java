package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Score;
import dev.optbench.orchestrator.summaries.TrialSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Stores the judge's verdicts from {@code bench.scores}, one upsert per batch keyed by score id (stable per sample
 * and kind, so a re-judged sample replaces its score), then recomputes the quality of the trials they belong to.
 */
@ApplicationScoped
public class ScoresStore implements BatchStore<Score> {
    private static final String UPSERT = "INSERT INTO score (id, run_id, trial_id, sample_id, kind, verdict, grade, "
            + "position_disagreement, judge_model, prompt_version, raw_replies, created_at) "
            + "SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::float8[], ?::bool[], "
            + "?::text[], ?::text[], ?::jsonb[], ?::timestamptz[]) "
            + "ON CONFLICT (id) DO UPDATE SET verdict = EXCLUDED.verdict, grade = EXCLUDED.grade, "
            + "position_disagreement = EXCLUDED.position_disagreement, judge_model = EXCLUDED.judge_model, "
            + "prompt_version = EXCLUDED.prompt_version, raw_replies = EXCLUDED.raw_replies, created_at = EXCLUDED.created_at";

    private final Session session;
    private final TrialSummaries summaries;

    public ScoresStore(Session session, TrialSummaries summaries) {
        this.session = session;
        this.summaries = summaries;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Rejection> store(List<Parsed<Score>> batch) {
        List<Rejection> rejected = new ArrayList<>();
        Map<UUID, Score> scores = new LinkedHashMap<>();
        Map<UUID, Set<UUID>> finalTrialsByRun = new LinkedHashMap<>();
        session.doWork(connection -> {
            KnownTrials trials = KnownTrials.lookUp(connection, batch.stream().map(p -> p.message().trialId()).toList());
            for (Parsed<Score> parsed : batch) {
                Score score = parsed.message();
                String problem = trials.problem(score.trialId(), score.runId());
                if (problem == null && (score.scoreId() == null || score.sampleId() == null || score.kind() == null || score.verdict() == null)) {
                    problem = "a score needs scoreId, sampleId, kind and verdict";
                }
                if (problem != null) {
                    rejected.add(new Rejection(parsed.record(), problem));
                    continue;
                }
                KnownTrials.Trial trial = trials.get(score.trialId());
                scores.put(score.scoreId(), new Score(score.schemaVersion(), score.scoreId(), trial.runId(), score.trialId(),
                        score.sampleId(), score.kind(), score.verdict(), score.grade(), score.positionDisagreement(),
                        score.judgeModel(), score.promptVersion(), score.rawReplies(),
                        score.at() != null ? score.at() : Instant.ofEpochMilli(parsed.record().timestamp())));
                if (trial.status().isFinal()) {
                    finalTrialsByRun.computeIfAbsent(trial.runId(), r -> new LinkedHashSet<>()).add(score.trialId());
                }
            }
            if (scores.isEmpty()) {
                return;
            }
            List<Score> rows = new ArrayList<>(scores.values());
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setArray(1, connection.createArrayOf("uuid", rows.stream().map(Score::scoreId).toArray()));
                upsert.setArray(2, connection.createArrayOf("uuid", rows.stream().map(Score::runId).toArray()));
                upsert.setArray(3, connection.createArrayOf("uuid", rows.stream().map(Score::trialId).toArray()));
                upsert.setArray(4, connection.createArrayOf("uuid", rows.stream().map(Score::sampleId).toArray()));
                upsert.setArray(5, connection.createArrayOf("text", rows.stream().map(s -> s.kind().name()).toArray()));
                upsert.setArray(6, connection.createArrayOf("text", rows.stream().map(s -> s.verdict().name()).toArray()));
                upsert.setArray(7, connection.createArrayOf("float8", rows.stream().map(Score::grade).toArray()));
                upsert.setArray(8, connection.createArrayOf("bool", rows.stream().map(Score::positionDisagreement).toArray()));
                upsert.setArray(9, connection.createArrayOf("text", rows.stream().map(Score::judgeModel).toArray()));
                upsert.setArray(10, connection.createArrayOf("text", rows.stream().map(Score::promptVersion).toArray()));
                upsert.setArray(11, connection.createArrayOf("text", rows.stream()
                        .map(s -> s.rawReplies() == null ? null : Messages.toJson(s.rawReplies())).toArray()));
                upsert.setArray(12, connection.createArrayOf("text", rows.stream().map(s -> s.at().toString()).toArray()));
                upsert.executeUpdate();
            }
        });
        finalTrialsByRun.forEach(summaries::refreshQuality);
        return rejected;
    }
}
