package dev.optbench.orchestrator.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.messages.TrialPhase;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Await;
import dev.optbench.orchestrator.support.Broker;
import dev.optbench.orchestrator.support.Database;
import dev.optbench.orchestrator.support.WorkerMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IngestionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A run of a baseline and one variant on one artifact: 2 trials of 2 repetitions × 2 rounds. */
    private static UUID twoTrialRun(String pool, boolean judge) {
        return Api.submitted("""
                {"name": "ingest-%s", "pool": "%s", "models": ["synthetic:tiny"],
                 "variants": [{"name": "fast", "flags": {"--flash-attn": "on"}}],
                 "workload": {"conversations": [["Hello", {"prompt": "2+2?", "reference": "4"}]], "repetitions": 2},
                 "quality": {"judge": %s}}""".formatted(pool, pool, judge));
    }

    private static Map<String, String> trialsByVariant(UUID runId) {
        JsonPath run = Api.run(runId);
        Map<String, String> variantNames = new HashMap<>();
        run.getList("variants", Map.class).forEach(v -> variantNames.put((String) v.get("id"), (String) v.get("name")));
        return run.getList("trials", Map.class).stream()
                .collect(Collectors.toMap(t -> variantNames.get((String) t.get("variantId")), t -> (String) t.get("id")));
    }

    private static void publish(Object message, UUID trialId) {
        Broker.send(Topics.RESULTS, trialId.toString(), Messages.toJson(message));
    }

    @Test
    void theSameResultsMessageDeliveredTwiceStoresOneSetOfSamples() {
        UUID runId = twoTrialRun(Api.uniquePool(), false);
        UUID trial = UUID.fromString(trialsByVariant(runId).get("Baseline"));
        List<Sample> samples = WorkerMessages.samples(trial, 2, 2, 100, "baseline");
        var chunk = WorkerMessages.chunk(runId, trial, 0, samples);
        publish(chunk, trial);
        publish(chunk, trial);
        publish(WorkerMessages.finished(runId, trial, TrialStatus.SUCCEEDED, 4), trial);
        Await.until(WAIT, () -> Api.trialStatus(runId, trial.toString()), "SUCCEEDED"::equals, "the trial succeeds");
        publish(chunk, trial);
        publish(WorkerMessages.finished(runId, trial, TrialStatus.FAILED, 4), trial);
        UUID marker = UUID.fromString(trialsByVariant(runId).get("fast"));
        publish(WorkerMessages.chunk(runId, marker, 0, WorkerMessages.samples(marker, 1, 1, 50, "marker")), trial);
        Await.until(WAIT, () -> Database.count("SELECT count(*) FROM sample WHERE trial_id = ?", marker), n -> n == 1,
                "a later message on the same partition is stored, so the redeliveries before it were processed");

        assertEquals(4, Database.count("SELECT count(*) FROM sample WHERE trial_id = ?", trial));
        assertEquals("SUCCEEDED", Api.trialStatus(runId, trial.toString()), "status only moves forward");
        assertEquals("RUNNING", Api.run(runId).getString("status"));
    }

    @Test
    void everyFieldOfASampleIsStoredAsTheWorkerSentIt() {
        UUID runId = twoTrialRun(Api.uniquePool(), false);
        UUID trial = UUID.fromString(trialsByVariant(runId).get("Baseline"));
        Instant startedAt = Instant.parse("2026-03-01T12:34:56.123456Z");
        String answer = "Ünïcødé ✓ \"quoted\", {braced} back\\slash\nnew line, NULL";
        Sample full = new Sample(Sample.idOf(trial, 1, 0, "inline-1", 0), "inline-1", 0, 0, 1, startedAt, 31, 64, 30, 3.75, 349.5,
                5.5, 4.25, 182.25, 1.5, 651.75, 341.5, 184.5, 12, 9, "length", "Say \"hi\", {please}", answer, null);
        Sample sparse = new Sample(Sample.idOf(trial, 1, 0, "inline-1", 1), "inline-1", 1, 0, 1, null, 40, 0, 0, 2.0, 2.0,
                null, null, null, null, null, null, null, null, null, null, null, null, "HTTP 500: boom");
        publish(WorkerMessages.chunk(runId, trial, 0, List.of(full, sparse)), trial);
        Await.until(WAIT, () -> Database.count("SELECT count(*) FROM sample WHERE trial_id = ?", trial), n -> n == 2, "both samples are stored");

        JsonPath stored = RestAssured.get("/api/runs/" + runId + "/samples?trial=" + trial).jsonPath();
        String first = "items.find { it.sampleId == '" + full.sampleId() + "' }";
        assertEquals(startedAt, Instant.parse(stored.getString(first + ".startedAt")));
        assertEquals(List.of(31, 64, 30, 12, 9), List.of(stored.getInt(first + ".promptTokens"), stored.getInt(first + ".completionTokens"),
                stored.getInt(first + ".cachedTokens"), stored.getInt(first + ".draftTokens"), stored.getInt(first + ".draftAcceptedTokens")));
        assertEquals(List.of(3.75, 349.5, 5.5, 4.25, 182.25, 1.5, 651.75, 341.5, 184.5), List.of(stored.getDouble(first + ".ttftMillis"),
                stored.getDouble(first + ".latencyMillis"), stored.getDouble(first + ".interTokenMillisMean"),
                stored.getDouble(first + ".interTokenMillisP95"), stored.getDouble(first + ".generationTokensPerSecond"),
                stored.getDouble(first + ".serverPromptMillis"), stored.getDouble(first + ".serverPromptTokensPerSecond"),
                stored.getDouble(first + ".serverGenerationMillis"), stored.getDouble(first + ".serverGenerationTokensPerSecond")));
        assertEquals("length", stored.getString(first + ".finishReason"));
        assertEquals("Say \"hi\", {please}", stored.getString(first + ".prompt"));
        assertEquals(answer, stored.getString(first + ".answer"));
        assertNull(stored.get(first + ".error"));
        String second = "items.find { it.sampleId == '" + sparse.sampleId() + "' }";
        assertEquals("HTTP 500: boom", stored.getString(second + ".error"));
        for (String field : List.of("startedAt", "interTokenMillisMean", "generationTokensPerSecond", "serverGenerationMillis",
                "draftTokens", "finishReason", "prompt", "answer")) {
            assertNull(stored.get(second + "." + field), field + " stays empty");
        }
    }

    @Test
    void summariesAreComputedAndCompareEachTrialWithTheBaseline() {
        UUID runId = twoTrialRun(Api.uniquePool(), false);
        Map<String, String> trials = trialsByVariant(runId);
        UUID baseline = UUID.fromString(trials.get("Baseline"));
        UUID fast = UUID.fromString(trials.get("fast"));
        publish(WorkerMessages.chunk(runId, fast, 0, WorkerMessages.samples(fast, 2, 2, 80, "fast")), fast);
        publish(WorkerMessages.finished(runId, fast, TrialStatus.SUCCEEDED, 4), fast);
        publish(WorkerMessages.chunk(runId, baseline, 0, WorkerMessages.samples(baseline, 2, 2, 100, "baseline")), baseline);
        publish(WorkerMessages.finished(runId, baseline, TrialStatus.SUCCEEDED, 4), baseline);

        JsonPath run = Api.awaitRunStatus(runId, "COMPLETED");
        assertNotNull(run.getString("finishedAt"));
        String fastSummary = "summaries.find { it.trialId == '" + fast + "' }";
        assertEquals(4, run.getInt(fastSummary + ".samples"));
        assertEquals(80.0, run.getDouble(fastSummary + ".figures.latencyMillisP50"), 1e-9);
        assertEquals(baseline.toString(), run.getString(fastSummary + ".referenceTrialId"));
        assertEquals(-20.0, run.getDouble(fastSummary + ".changeVsBaseline.latencyMillisP50.percent"), 1e-9);
        assertTrue(run.getBoolean(fastSummary + ".changeVsBaseline.latencyMillisP50.better"));
        assertEquals(2, run.getList(fastSummary + ".rounds").size());
        assertEquals(42.0, run.getDouble(fastSummary + ".figures.modelSizeMb"), 1e-9);
        String baselineSummary = "summaries.find { it.trialId == '" + baseline + "' }";
        assertNull(run.get(baselineSummary + ".referenceTrialId"));
        assertEquals("tiny-llama-f16.gguf", run.getString("artifacts[0].fileName"));
        assertEquals(2, Database.count("SELECT count(*) FROM trial_summary WHERE run_id = ?", runId));
    }

    @Test
    void aCompletedRunThatAsksForJudgingPublishesOneJudgeRequestPerSampleAndScoresUpdateTheQuality() {
        UUID runId = twoTrialRun(Api.uniquePool(), true);
        Map<String, String> trials = trialsByVariant(runId);
        UUID baseline = UUID.fromString(trials.get("Baseline"));
        UUID fast = UUID.fromString(trials.get("fast"));
        publish(WorkerMessages.chunk(runId, baseline, 0, WorkerMessages.samples(baseline, 2, 2, 100, "baseline")), baseline);
        publish(WorkerMessages.finished(runId, baseline, TrialStatus.SUCCEEDED, 4), baseline);
        publish(WorkerMessages.chunk(runId, fast, 0, WorkerMessages.samples(fast, 2, 2, 80, "fast")), fast);
        publish(WorkerMessages.finished(runId, fast, TrialStatus.SUCCEEDED, 4), fast);
        Api.awaitRunStatus(runId, "COMPLETED");

        List<ConsumerRecord<String, String>> records = Broker.await(Topics.JUDGE,
                r -> r.value().contains(runId.toString()), 8, WAIT);
        assertEquals(8, records.size());
        List<JudgeRequest> requests = records.stream().map(r -> Messages.fromJson(r.value(), JudgeRequest.class)).toList();
        for (JudgeRequest request : requests) {
            if (request.trialId().equals(fast)) {
                assertEquals(request.answer().replace("fast", "baseline"), request.baselineAnswer(), "paired by conversation, round and repetition");
                assertNotNull(request.baselineSampleId());
            } else {
                assertNull(request.baselineAnswer(), "the baseline's own samples are judged without a pairing");
            }
        }
        assertEquals(Set.of("4"), requests.stream().filter(r -> r.reference() != null).map(JudgeRequest::reference).collect(Collectors.toSet()));
        for (JudgeRequest request : requests) {
            if ("4".equals(request.reference())) {
                assertEquals(List.of("Hello"), request.earlierPrompts(), "round 1 carries the conversation's earlier turn");
            } else {
                assertNull(request.earlierPrompts(), "round 0 has no earlier turns");
            }
        }
        JsonPath planned = Api.run(runId);
        assertEquals(8, planned.getInt("judging.requested"));
        assertEquals(0, planned.getInt("judging.scored"));

        for (JudgeRequest request : requests.stream().filter(r -> r.trialId().equals(fast)).toList()) {
            Score score = new Score(SchemaVersion.CURRENT, Score.idOf(request.sampleId(), ScoreKind.PAIRWISE), runId, fast,
                    request.sampleId(), ScoreKind.PAIRWISE, Verdict.WIN, null, false, "judge", "v1", List.of("A"), Instant.now());
            Broker.send(Topics.SCORES, request.sampleId().toString(), Messages.toJson(score));
            Broker.send(Topics.SCORES, request.sampleId().toString(), Messages.toJson(score));
        }
        String quality = "summaries.find { it.trialId == '" + fast + "' }.quality";
        JsonPath run = Await.until(WAIT, () -> Api.run(runId), r -> r.get(quality + ".judgeWin.n") != null && r.getInt(quality + ".judgeWin.n") == 4,
                "the fast trial's quality counts its 4 pairwise verdicts once each");
        assertEquals(1.0, run.getDouble(quality + ".judgeWin.rate"), 1e-9);
        assertEquals(4, Database.count("SELECT count(*) FROM score WHERE trial_id = ?", fast));
        assertEquals(4, run.getInt("judging.scored"), "the run tells how many judged answers have their scores");
    }

    @Test
    void progressMovesATrialToRunningAndARedeliveredStartCountsOneAttempt() {
        UUID runId = twoTrialRun(Api.uniquePool(), false);
        UUID trial = UUID.fromString(trialsByVariant(runId).get("Baseline"));
        TrialProgress started = new TrialProgress(SchemaVersion.CURRENT, "worker-" + trial, runId, trial, TrialPhase.STARTED, 0, 4, 0, 1, null, Instant.now());
        Broker.send(Topics.EVENTS, started.workerId(), Messages.toJson(started));
        Broker.send(Topics.EVENTS, started.workerId(), Messages.toJson(started));
        TrialProgress workload = new TrialProgress(SchemaVersion.CURRENT, started.workerId(), runId, trial, TrialPhase.WORKLOAD, 2, 4, 0, 1, null, Instant.now());
        Broker.send(Topics.EVENTS, started.workerId(), Messages.toJson(workload));
        String path = "trials.find { it.id == '" + trial + "' }";
        JsonPath run = Await.until(WAIT, () -> Api.run(runId), r -> "WORKLOAD".equals(r.getString(path + ".phase")), "progress is stored");
        assertEquals("RUNNING", run.getString(path + ".status"));
        assertEquals(1, run.getInt(path + ".attempts"));
        assertEquals(2, run.getInt(path + ".samplesDone"));
        assertEquals("RUNNING", run.getString("status"));
    }

    @Test
    void poisonMessagesAndResultsForUnknownTrialsGoToTheDeadLetterTopicAndIngestionContinues() {
        UUID runId = twoTrialRun(Api.uniquePool(), false);
        UUID trial = UUID.fromString(trialsByVariant(runId).get("Baseline"));
        String notJson = "poison-" + UUID.randomUUID();
        String otherVersion = "version-" + UUID.randomUUID();
        UUID unknownTrial = UUID.randomUUID();
        Broker.send(Topics.RESULTS, notJson, "{ this is not json");
        Broker.send(Topics.RESULTS, otherVersion, "{\"type\": \"sample-chunk\", \"schemaVersion\": 99}");
        publish(WorkerMessages.chunk(runId, unknownTrial, 0, WorkerMessages.samples(unknownTrial, 1, 1, 10, "x")), unknownTrial);
        publish(WorkerMessages.chunk(runId, trial, 0, WorkerMessages.samples(trial, 1, 2, 100, "after")), trial);

        Await.until(WAIT, () -> Database.count("SELECT count(*) FROM sample WHERE trial_id = ?", trial), n -> n == 2,
                "the valid message after the poison ones is stored");
        Set<String> keys = Set.of(notJson, otherVersion, unknownTrial.toString());
        List<ConsumerRecord<String, String>> letters = Broker.await(Topics.DEAD_LETTER, r -> keys.contains(r.key()), 3, WAIT);
        Map<String, String> reasons = letters.stream().collect(Collectors.toMap(ConsumerRecord::key, r -> Broker.header(r, "reason"), (a, b) -> a));
        assertTrue(reasons.get(notJson).contains("not JSON"), reasons.toString());
        assertTrue(reasons.get(otherVersion).contains("schemaVersion"), reasons.toString());
        assertTrue(reasons.get(unknownTrial.toString()).contains("unknown trial"), reasons.toString());
        letters.forEach(r -> assertEquals(Topics.RESULTS, Broker.header(r, "source-topic")));
        assertEquals("{ this is not json", letters.stream().filter(r -> r.key().equals(notJson)).findFirst().orElseThrow().value(),
                "the dead letter carries the original record");
    }
}
