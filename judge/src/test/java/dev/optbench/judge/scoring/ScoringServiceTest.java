package dev.optbench.judge.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.judge.cache.JudgementCache;
import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeModel;
import dev.optbench.judge.models.JudgeModels;
import dev.optbench.judge.models.JudgeRejectedException;
import dev.optbench.judge.models.JudgeUnavailableException;
import dev.optbench.judge.models.RejectedReply;
import dev.optbench.judge.verdicts.JudgePrompt;
import dev.optbench.judge.verdicts.JudgePrompts;
import dev.optbench.testsupport.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScoringServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WIN_FOR_A = "{\"winner\": \"A\", \"reason\": \"r\"}";
    private static final String WIN_FOR_B = "{\"winner\": \"B\", \"reason\": \"r\"}";
    private static final String GRADES = "{\"helpfulness\": 8, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7, \"reason\": \"r\"}";

    private final ScriptedJudgeModel judge = new ScriptedJudgeModel();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JudgementCache cache = new JudgementCache(100, null);
    private final EndpointBackoff backoff = new EndpointBackoff(new RetryPolicy(Duration.ofMillis(200), Duration.ofMillis(400), null),
            Duration.ofMinutes(30), judge.endpoint());
    private final ScoringService scoring = new ScoringService(models(judge), cache, new JudgeMetrics(registry), backoff);

    /** The given model judges every run and is the default judge. */
    private static JudgeModels models(JudgeModel model) {
        return new JudgeModels() {
            @Override
            public JudgeModel forRun(JudgeModelSpec spec) {
                return model;
            }

            @Override
            public JudgeEndpoint defaultEndpoint() {
                return model.endpoint();
            }
        };
    }

    private static JudgeRequest request(String answer, String baseline, String reference) {
        return new JudgeRequest(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "What is the capital of France?", null, answer, baseline, reference, null);
    }

    private static Map<ScoreKind, Score> byKind(List<Score> scores) {
        return scores.stream().collect(Collectors.toMap(Score::kind, Function.identity()));
    }

    @Test
    void judgesPairwiseInBothOrdersThenTheRubricThenTheReference() {
        judge.then(WIN_FOR_A).then(WIN_FOR_B).then(GRADES);
        JudgeRequest request = request("Paris.", "Lyon.", "Paris");
        Map<ScoreKind, Score> scores = byKind(scoring.judge(request));

        Score pairwise = scores.get(ScoreKind.PAIRWISE);
        assertEquals(Verdict.WIN, pairwise.verdict());
        assertEquals(false, pairwise.positionDisagreement());
        assertEquals(List.of("answer-first #1: " + WIN_FOR_A, "baseline-first #1: " + WIN_FOR_B), pairwise.rawReplies());
        assertEquals(Score.idOf(request.sampleId(), ScoreKind.PAIRWISE), pairwise.scoreId());
        assertEquals("openai:scripted", pairwise.judgeModel());
        assertEquals(JudgePrompts.PAIRWISE_VERSION, pairwise.promptVersion());
        assertEquals(JudgePrompts.ANSWER_FIRST, judge.prompts.get(0).order());
        assertTrue(judge.prompts.get(0).user().indexOf("Paris.") < judge.prompts.get(0).user().indexOf("Lyon."));
        assertEquals(JudgePrompts.BASELINE_FIRST, judge.prompts.get(1).order());
        assertTrue(judge.prompts.get(1).user().indexOf("Lyon.") < judge.prompts.get(1).user().indexOf("Paris."));

        Score rubric = scores.get(ScoreKind.RUBRIC);
        assertEquals(Verdict.GRADED, rubric.verdict());
        assertEquals(7.5, rubric.grade(), 1e-9);
        assertTrue(judge.prompts.get(2).user().contains("BEGIN REFERENCE ANSWER"));

        Score reference = scores.get(ScoreKind.REFERENCE);
        assertEquals(Verdict.PASS, reference.verdict());
        assertEquals("reference-check", reference.judgeModel());
        assertTrue(reference.rawReplies().get(0).startsWith("normalised:"), reference.rawReplies().toString());
    }

    @Test
    void aLaterRoundIsJudgedWithTheEarlierQuestionsOfItsConversation() {
        judge.then(WIN_FOR_A).then(WIN_FOR_B).then(GRADES);
        JudgeRequest request = new JudgeRequest(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "And of Italy?", List.of("What is the capital of France?"), "Rome.", "Milan.", null, null);
        scoring.judge(request);
        assertEquals(3, judge.prompts.size());
        for (JudgePrompt prompt : judge.prompts) {
            assertTrue(prompt.user().indexOf("What is the capital of France?") < prompt.user().indexOf("And of Italy?"), prompt.user());
            assertTrue(prompt.user().contains("BEGIN EARLIER QUESTION 1 ["), prompt.user());
        }
    }

    @Test
    void ordersThatDisagreeGiveATieAndRecordTheDisagreement() {
        judge.then(WIN_FOR_A).then(WIN_FOR_A).then(GRADES);
        Score pairwise = byKind(scoring.judge(request("Paris.", "Lyon.", null))).get(ScoreKind.PAIRWISE);
        assertEquals(Verdict.TIE, pairwise.verdict());
        assertEquals(true, pairwise.positionDisagreement());
    }

    @Test
    void anUnreadableReplyIsAskedOnceMoreWithTheProblemAndTheSecondReadingCounts() {
        judge.then("I prefer the first one.").then(WIN_FOR_B).then(WIN_FOR_A).then(GRADES);
        Score pairwise = byKind(scoring.judge(request("Paris.", "Lyon.", null))).get(ScoreKind.PAIRWISE);
        assertEquals(Verdict.LOSS, pairwise.verdict());
        assertEquals(List.of("answer-first #1: I prefer the first one.", "answer-first #2: " + WIN_FOR_B, "baseline-first #1: " + WIN_FOR_A),
                pairwise.rawReplies());
        assertEquals("I prefer the first one.", judge.rejections.get(1).reply());
        assertEquals("no JSON object in the reply", judge.rejections.get(1).problem());
        assertEquals(1.0, registry.get("optbench.judge.unreadable.replies").tag("kind", "pairwise").counter().count());
    }

    @Test
    void twoUnreadableRepliesAreStoredUnparseableWithoutAGrade() {
        judge.then("{\"helpfulness\": 12}").then("still not it");
        Score rubric = byKind(scoring.judge(request("Paris.", null, null))).get(ScoreKind.RUBRIC);
        assertEquals(Verdict.UNPARSEABLE, rubric.verdict());
        assertNull(rubric.grade());
        assertEquals(List.of("single #1: {\"helpfulness\": 12}", "single #2: still not it"), rubric.rawReplies());
        assertEquals(2, judge.prompts.size());
    }

    @Test
    void anUnreadablePairwiseOrderMakesThePairwiseScoreUnparseable() {
        judge.then("?").then("??").then(WIN_FOR_A).then(GRADES);
        Score pairwise = byKind(scoring.judge(request("Paris.", "Lyon.", null))).get(ScoreKind.PAIRWISE);
        assertEquals(Verdict.UNPARSEABLE, pairwise.verdict());
        assertNull(pairwise.positionDisagreement());
    }

    @Test
    void theBaselinesOwnSampleGetsNoPairwiseScoreAndNoReferenceWithoutOne() {
        judge.then(GRADES);
        List<Score> scores = scoring.judge(request("Paris.", null, null));
        assertEquals(List.of(ScoreKind.RUBRIC), scores.stream().map(Score::kind).toList());
    }

    @Test
    void identicalAnswersTieWithoutAskingTheJudge() {
        judge.then(GRADES);
        Score pairwise = byKind(scoring.judge(request("Paris.", "Paris.", null))).get(ScoreKind.PAIRWISE);
        assertEquals(Verdict.TIE, pairwise.verdict());
        assertNull(pairwise.positionDisagreement(), "no orders were compared, so no disagreement can be counted either way");
        assertEquals(List.of(ScoringService.IDENTICAL_ANSWERS), pairwise.rawReplies());
        assertEquals(1, judge.prompts.size());
    }

    @Test
    void theSameTextsAreNeverPutToTheJudgeTwice() {
        judge.then(WIN_FOR_A).then(WIN_FOR_B).then(GRADES);
        List<Score> first = scoring.judge(request("Paris.", "Lyon.", null));
        List<Score> again = scoring.judge(request("Paris.", "Lyon.", null));
        assertEquals(3, judge.prompts.size());
        assertEquals(first.stream().map(Score::rawReplies).toList(), again.stream().map(Score::rawReplies).toList());
        assertEquals(first.stream().map(Score::verdict).toList(), again.stream().map(Score::verdict).toList());
        assertEquals(3.0, registry.get("optbench.judge.cache").tag("result", "hit").counter().count());
    }

    @Test
    void twoIdenticalRequestsJudgedAtOnceMakeOneJudgeCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        JudgeModel slow = new JudgeModel() {
            private final JudgeEndpoint endpoint = new JudgeEndpoint("openai", "http://127.0.0.1:9/v1", "slow", null);

            @Override
            public JudgeEndpoint endpoint() {
                return endpoint;
            }

            @Override
            public String reply(JudgePrompt prompt, RejectedReply rejected) {
                calls.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return GRADES;
            }
        };
        ScoringService twoAtOnce = new ScoringService(models(slow), new JudgementCache(100, null), new JudgeMetrics(registry),
                new EndpointBackoff(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(40), null), Duration.ofMinutes(30), slow.endpoint()));
        ExecutorService concurrency2 = Executors.newFixedThreadPool(2);
        try {
            Future<List<Score>> first = concurrency2.submit(() -> twoAtOnce.judge(request("Paris.", null, null)));
            Await.until(() -> calls.get() == 1, WAIT, "the first request asks the judge");
            AtomicReference<Thread> secondThread = new AtomicReference<>();
            Future<List<Score>> second = concurrency2.submit(() -> {
                secondThread.set(Thread.currentThread());
                return twoAtOnce.judge(request("Paris.", null, null));
            });
            Await.until(() -> calls.get() == 2 || secondThread.get() != null && secondThread.get().getState() == Thread.State.WAITING, WAIT,
                    "the second request waits or asks the judge itself");
            release.countDown();
            List<String> firstReplies = first.get(30, TimeUnit.SECONDS).get(0).rawReplies();
            List<String> secondReplies = second.get(30, TimeUnit.SECONDS).get(0).rawReplies();
            assertEquals(1, calls.get(), "one judge call for two identical questions asked at once");
            assertEquals(firstReplies, secondReplies);
            assertEquals(1.0, registry.get("optbench.judge.cache").tag("result", "hit").counter().count());
            assertEquals(1.0, registry.get("optbench.judge.cache").tag("result", "miss").counter().count());
        } finally {
            release.countDown();
            concurrency2.shutdownNow();
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerSetsTheRequestAsideAndIsNotAskedAgainUntilItsWaitEnds() throws InterruptedException {
        JudgeUnavailableException down = new JudgeUnavailableException("down", new ConnectException("refused"));
        judge.thenFail(down).thenFail(down).then(GRADES);
        JudgeRequest request = request("Paris.", null, null);
        EndpointDownException first = assertThrows(EndpointDownException.class, () -> scoring.judge(request));
        assertEquals(judge.endpoint(), first.endpoint());
        assertThrows(EndpointDownException.class, () -> scoring.judge(request));
        assertEquals(1, judge.prompts.size(), "not asked while it waits: the request is set aside without a call");

        Await.until(() -> !backoff.askAgainAt(judge.endpoint(), Instant.now()).isAfter(Instant.now()), WAIT, "the first wait ends");
        assertThrows(EndpointDownException.class, () -> scoring.judge(request));
        Await.until(() -> !backoff.askAgainAt(judge.endpoint(), Instant.now()).isAfter(Instant.now()), WAIT, "the second wait ends");
        Score rubric = scoring.judge(request).get(0);
        assertEquals(Verdict.GRADED, rubric.verdict());
        assertEquals(List.of("single #1: " + GRADES), rubric.rawReplies());
        assertEquals(3, judge.prompts.size());
        assertEquals(2.0, registry.get("optbench.judge.endpoint.failures").counter().count());
    }

    @Test
    void aRunJudgeThatFailsLongerThanItsGiveUpTimeIsGivenUp() throws InterruptedException {
        JudgeEndpoint defaultJudge = new JudgeEndpoint("openai", "http://127.0.0.1:8/v1", "default", null);
        ScoringService impatient = new ScoringService(models(judge), cache, new JudgeMetrics(registry),
                new EndpointBackoff(new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(5), null), Duration.ofMillis(50), defaultJudge));
        judge.thenFail(new JudgeUnavailableException("refused", null)).thenFail(new JudgeUnavailableException("refused", null));
        Instant firstFailure = Instant.now();
        assertThrows(EndpointDownException.class, () -> impatient.judge(request("Paris.", null, null)));
        Await.until(() -> Duration.between(firstFailure, Instant.now()).toMillis() > 60, WAIT, "the give-up time passes");
        JudgeUnavailableException gaveUp = assertThrows(JudgeUnavailableException.class, () -> impatient.judge(request("Paris.", null, null)));
        assertTrue(gaveUp.getMessage().startsWith("gave up after judge openai:scripted"), gaveUp.getMessage());
        assertThrows(JudgeUnavailableException.class, () -> impatient.judge(request("Rome.", null, null)),
                "while it waits, its other requests are given up without a call");
        assertEquals(2, judge.prompts.size());
    }

    @Test
    void aRefusalIsNotRetried() {
        judge.thenFail(new JudgeRejectedException("model not found"));
        assertThrows(JudgeRejectedException.class, () -> scoring.judge(request("Paris.", null, null)));
        assertEquals(1, judge.prompts.size());
    }

    @Test
    void aRequestWithoutIdsOrPromptIsMalformed() {
        JudgeRequest noIds = new JudgeRequest(SchemaVersion.CURRENT, null, UUID.randomUUID(), null, null, null, null, "a", null, null, null);
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> scoring.judge(noIds));
        assertEquals("JudgeRequest without runId, sampleId, prompt", e.getMessage());
    }
}
