package dev.optbench.judge.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.contracts.summary.QualityAggregation;
import dev.optbench.contracts.summary.QualitySummary;
import dev.optbench.judge.HttpExchangeServer;
import dev.optbench.judge.HttpExchangeServer.Answer;
import dev.optbench.judge.verdicts.JudgePrompts;
import dev.optbench.judge.verdicts.PairwiseChoice;
import dev.optbench.judge.verdicts.PairwiseVerdict;
import dev.optbench.judge.verdicts.ReplyParser;
import dev.optbench.judge.verdicts.RubricGrade;
import dev.optbench.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The judge service end to end: JudgeRequests published on its request topic, scores read back from its
 * score topic, judged by a real llama-server on the tiny random-weight model through the OpenAI-compatible
 * API. That model's verdicts are noise; structured output makes them readable, and the assertions check
 * what does not depend on their content: both orders asked, the verdict computed from the two replies as
 * stored, grades in range and equal to the replies, ids stable, nothing lost and nothing twice.
 */
@QuarkusTest
@QuarkusTestResource(JudgeTestResources.class)
class JudgePipelineTest {
    private static final Logger LOG = Logger.getLogger(JudgePipelineTest.class);
    private static final Duration JUDGING = Duration.ofSeconds(180);
    /** Long enough for the test whose judge comes back, short enough for the one whose judge never does. */
    static final Duration RUN_JUDGE_GIVE_UP_AFTER = Duration.ofSeconds(30);

    @ConfigProperty(name = "mp.messaging.incoming.judge-requests.topic")
    String requestTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.scores.topic")
    String scoreTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.dead-letters.topic")
    String deadLetterTopic;

    private KafkaProducer<String, String> producer;

    @BeforeEach
    void openProducer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap());
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    private static JudgeRequest request(String prompt, String answer, String baseline, String reference, JudgeModelSpec judge) {
        return new JudgeRequest(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                baseline == null ? null : UUID.randomUUID(), prompt, null, answer, baseline, reference, judge);
    }

    private static JudgeRequest again(JudgeRequest request, UUID sampleId) {
        return new JudgeRequest(SchemaVersion.CURRENT, request.runId(), request.trialId(), sampleId, request.baselineSampleId(),
                request.prompt(), request.earlierPrompts(), request.answer(), request.baselineAnswer(), request.reference(), request.judgeModel());
    }

    private void publish(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(requestTopic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot publish on " + requestTopic, e);
        }
    }

    private void publish(JudgeRequest request) {
        publish(request.sampleId().toString(), Messages.toJson(request));
    }

    private static List<Score> scoresOf(Collection<ConsumerRecord<String, String>> records, Set<UUID> samples) {
        return records.stream().map(record -> Messages.fromJson(record.value(), Score.class))
                .filter(score -> samples.contains(score.sampleId())).toList();
    }

    /** Waits until every sample has a score of each expected kind; returns all of their scores read so far. */
    private List<Score> awaitScores(TopicReader reader, Set<UUID> samples, int kindsPerSample) {
        List<ConsumerRecord<String, String>> records = reader.readUntil(read -> {
            Map<UUID, Set<ScoreKind>> kinds = scoresOf(read, samples).stream()
                    .collect(Collectors.groupingBy(Score::sampleId, Collectors.mapping(Score::kind, Collectors.toSet())));
            return samples.stream().allMatch(sample -> kinds.getOrDefault(sample, Set.of()).size() >= kindsPerSample);
        }, JUDGING);
        records.stream().filter(record -> samples.contains(Messages.fromJson(record.value(), Score.class).sampleId()))
                .forEach(record -> assertEquals(Messages.fromJson(record.value(), Score.class).sampleId().toString(), record.key()));
        return scoresOf(records, samples);
    }

    private static Map<ScoreKind, Score> byKind(List<Score> scores) {
        return scores.stream().collect(Collectors.toMap(Score::kind, Function.identity(), (first, later) -> later));
    }

    private static String reply(String labelled) {
        return labelled.substring(labelled.indexOf(": ") + 2);
    }

    /** The last reply of one order, as the stored raw replies label it. */
    private static String lastReply(List<String> raw, String order) {
        List<String> ofOrder = raw.stream().filter(entry -> entry.startsWith(order + " #")).toList();
        assertTrue(!ofOrder.isEmpty(), "no " + order + " reply in " + raw);
        return reply(ofOrder.get(ofOrder.size() - 1));
    }

    private static double metric(String name, String labelPart) {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(line -> line.startsWith(name + "{") && line.contains(labelPart))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aRequestYieldsPairwiseInBothOrdersRubricAndReferenceScoresFromTheRealLlamaServer() {
        JudgeRequest request = request("What is the capital of France? [" + UUID.randomUUID() + "]",
                "The capital of France is Paris.", "Paris is the capital of France, on the Seine.", "Paris", null);
        try (TopicReader scores = new TopicReader(scoreTopic)) {
            long started = System.nanoTime();
            publish(request);
            Map<ScoreKind, Score> judged = byKind(awaitScores(scores, Set.of(request.sampleId()), 3));
            LOG.infof("FIGURE one request (3 judge calls on the tiny model) judged in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            Score pairwise = judged.get(ScoreKind.PAIRWISE);
            assertEquals(Score.idOf(request.sampleId(), ScoreKind.PAIRWISE), pairwise.scoreId());
            assertEquals(request.runId(), pairwise.runId());
            assertEquals(request.trialId(), pairwise.trialId());
            assertEquals("openai:tiny-llama-f16", pairwise.judgeModel());
            assertEquals(JudgePrompts.PAIRWISE_VERSION, pairwise.promptVersion());
            PairwiseChoice answerFirst = ReplyParser.pairwise(lastReply(pairwise.rawReplies(), JudgePrompts.ANSWER_FIRST)).value();
            PairwiseChoice baselineFirst = ReplyParser.pairwise(lastReply(pairwise.rawReplies(), JudgePrompts.BASELINE_FIRST)).value();
            PairwiseVerdict expected = PairwiseVerdict.of(answerFirst, baselineFirst);
            assertEquals(expected.verdict(), pairwise.verdict(), pairwise.rawReplies().toString());
            assertEquals(expected.positionDisagreement(), pairwise.positionDisagreement());
            assertNotNull(answerFirst, "constrained decoding makes even the random model's reply readable: " + pairwise.rawReplies());

            Score rubric = judged.get(ScoreKind.RUBRIC);
            assertEquals(Verdict.GRADED, rubric.verdict(), rubric.rawReplies().toString());
            RubricGrade grade = ReplyParser.rubric(reply(rubric.rawReplies().get(rubric.rawReplies().size() - 1))).value();
            assertEquals(grade.grade(), rubric.grade(), 1e-9);
            assertTrue(rubric.grade() >= 1 && rubric.grade() <= 10);
            assertEquals(JudgePrompts.RUBRIC_VERSION, rubric.promptVersion());

            Score reference = judged.get(ScoreKind.REFERENCE);
            assertEquals(Verdict.PASS, reference.verdict());
            assertEquals("reference-check", reference.judgeModel());
            assertTrue(reference.rawReplies().get(0).startsWith("contains:"), reference.rawReplies().toString());
        }
    }

    @Test
    void aBatchIsJudgedAndARepeatedRunComesFromTheCacheWithoutAJudgeCall() {
        List<JudgeRequest> run = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            run.add(request("Name a prime number larger than " + (10 * i) + ". [" + UUID.randomUUID() + "]",
                    "It is " + (10 * i + 1) + ".", "Consider " + (10 * i + 3) + ".", null, null));
        }
        try (TopicReader scores = new TopicReader(scoreTopic)) {
            long started = System.nanoTime();
            run.forEach(this::publish);
            List<Score> first = awaitScores(scores, run.stream().map(JudgeRequest::sampleId).collect(Collectors.toSet()), 2);
            long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.infof("FIGURE %d requests (%d scores, %d judge calls) judged in %d ms: %.2f judgements/s, %.2f judge calls/s",
                    run.size(), first.size(), run.size() * 3, firstMillis, first.size() * 1000.0 / firstMillis, run.size() * 3 * 1000.0 / firstMillis);

            QualitySummary quality = QualityAggregation.of(first, null);
            Map<Verdict, Long> pairwise = first.stream().filter(score -> score.kind() == ScoreKind.PAIRWISE)
                    .collect(Collectors.groupingBy(Score::verdict, Collectors.counting()));
            assertEquals(run.size() - pairwise.getOrDefault(Verdict.UNPARSEABLE, 0L).longValue(), (long) quality.judgeWin().n());
            assertEquals(pairwise.getOrDefault(Verdict.WIN, 0L).longValue(), (long) quality.judgeWin().count());
            assertEquals(pairwise.getOrDefault(Verdict.LOSS, 0L).longValue(), (long) quality.judgeLoss().count());
            assertTrue(quality.judgeWin().low() <= quality.judgeWin().rate() && quality.judgeWin().rate() <= quality.judgeWin().high());
            double[] grades = first.stream().filter(score -> score.kind() == ScoreKind.RUBRIC && score.grade() != null)
                    .mapToDouble(Score::grade).toArray();
            assertEquals(Arrays.stream(grades).average().orElseThrow(), quality.rubricGrade().estimate(), 1e-9);
            LOG.infof("FIGURE tiny-model judge on this batch (noise): win %s, tie %s, loss %s, position disagreement %s, mean grade %.2f",
                    quality.judgeWin().count(), quality.judgeTie().count(), quality.judgeLoss().count(),
                    quality.positionDisagreement() == null ? "n/a" : quality.positionDisagreement().count() + "/" + quality.positionDisagreement().n(),
                    quality.rubricGrade().estimate());

            double callsBefore = metric("optbench_judge_call_seconds_count", "provider=\"openai\"");
            double hitsBefore = metric("optbench_judge_cache_total", "result=\"hit\"");
            double missesBefore = metric("optbench_judge_cache_total", "result=\"miss\"");
            List<JudgeRequest> repeated = run.stream().map(request -> again(request, UUID.randomUUID())).toList();
            started = System.nanoTime();
            repeated.forEach(this::publish);
            List<Score> second = awaitScores(scores, repeated.stream().map(JudgeRequest::sampleId).collect(Collectors.toSet()), 2);
            long repeatedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            double hits = metric("optbench_judge_cache_total", "result=\"hit\"") - hitsBefore;
            double misses = metric("optbench_judge_cache_total", "result=\"miss\"") - missesBefore;
            LOG.infof("FIGURE repeated run: cache hit rate %.0f %% (%.0f hits, %.0f misses), %d scores in %d ms",
                    100 * hits / (hits + misses), hits, misses, second.size(), repeatedMillis);

            assertEquals(callsBefore, metric("optbench_judge_call_seconds_count", "provider=\"openai\""), "no judge call on a repeated run");
            assertEquals(run.size() * 3.0, hits);
            assertEquals(0.0, misses);
            Map<String, List<String>> firstReplies = first.stream()
                    .collect(Collectors.toMap(score -> score.kind() + score.rawReplies().toString(), Score::rawReplies, (a, b) -> a));
            second.forEach(score -> assertTrue(firstReplies.containsKey(score.kind() + score.rawReplies().toString()),
                    "the repeated run's replies are the first run's: " + score.rawReplies()));
        }
    }

    @Test
    void theSameSampleJudgedAgainKeepsItsScoreIds() {
        JudgeRequest request = request("Say hello. [" + UUID.randomUUID() + "]", "Hello!", null, "hello", null);
        try (TopicReader scores = new TopicReader(scoreTopic)) {
            publish(request);
            awaitScores(scores, Set.of(request.sampleId()), 2);
            publish(request);
            List<Score> all = scores.readUntil(read -> scoresOf(read, Set.of(request.sampleId())).size() >= 4, JUDGING).stream()
                    .map(record -> Messages.fromJson(record.value(), Score.class)).filter(score -> score.sampleId().equals(request.sampleId())).toList();
            assertEquals(Set.of(Score.idOf(request.sampleId(), ScoreKind.RUBRIC), Score.idOf(request.sampleId(), ScoreKind.REFERENCE)),
                    all.stream().map(Score::scoreId).collect(Collectors.toSet()), "a redelivered request replaces its scores");
            Map<UUID, Set<List<String>>> repliesById = all.stream()
                    .collect(Collectors.groupingBy(Score::scoreId, Collectors.mapping(Score::rawReplies, Collectors.toSet())));
            repliesById.values().forEach(replies -> assertEquals(1, replies.size(), "judged once, replayed from the cache"));
        }
    }

    @Test
    void poisonMessagesAreDeadLetteredWithTheReasonAndTheConsumerGoesOn() {
        JudgeRequest good = request("Count to three. [" + UUID.randomUUID() + "]", "1, 2, 3", null, null, null);
        String unknownJudge = Messages.toJson(request("q", "a", null, null, new JudgeModelSpec("vertex", "http://127.0.0.1:1", "m")));
        String noIds = "{\"schemaVersion\":" + SchemaVersion.CURRENT + ",\"prompt\":\"q\",\"answer\":\"a\"}";
        String poison = "poison-" + UUID.randomUUID();
        try (TopicReader deadLetters = new TopicReader(deadLetterTopic); TopicReader scores = new TopicReader(scoreTopic)) {
            publish(poison, "this is not JSON {");
            publish(poison, "{\"schemaVersion\": 99, \"sampleId\": \"" + UUID.randomUUID() + "\"}");
            publish(poison, unknownJudge);
            publish(poison, noIds);
            publish(good);
            List<ConsumerRecord<String, String>> dead = deadLetters.readUntil(
                    read -> read.stream().filter(record -> poison.equals(record.key())).count() >= 4, JUDGING).stream()
                    .filter(record -> poison.equals(record.key())).toList();
            Map<String, String> valueByReason = dead.stream().collect(Collectors.toMap(
                    record -> new String(record.headers().lastHeader("reason").value(), StandardCharsets.UTF_8), ConsumerRecord::value));
            List<String> reasons = List.copyOf(valueByReason.keySet());
            String notJson = reasons.stream().filter(reason -> reason.startsWith("not JSON")).findFirst().orElseThrow(() -> new AssertionError(reasons));
            assertEquals("this is not JSON {", valueByReason.get(notJson), "the original record, unchanged");
            assertTrue(reasons.stream().anyMatch(reason -> reason.contains("unsupported schemaVersion 99")), reasons.toString());
            assertTrue(reasons.stream().anyMatch(reason -> reason.startsWith("judgeModel.provider must be")), reasons.toString());
            assertTrue(reasons.stream().anyMatch(reason -> reason.equals("JudgeRequest without runId, trialId, sampleId")), reasons.toString());
            dead.forEach(record -> assertEquals(requestTopic, new String(record.headers().lastHeader("source-topic").value(), StandardCharsets.UTF_8)));
            assertEquals(Verdict.GRADED, awaitScores(scores, Set.of(good.sampleId()), 1).get(0).verdict());
        }
    }

    @Test
    void aJudgeThatIsDownWhileARunFinishesScoresEachRequestExactlyOnceWhenItComesBack() {
        int port = LlamaServerProcess.freePort();
        JudgeModelSpec later = new JudgeModelSpec("openai", "http://127.0.0.1:" + port + "/v1", "tiny-llama-f16-later");
        List<JudgeRequest> run = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            run.add(request("Describe the colour number " + i + ". [" + UUID.randomUUID() + "]", "Blue " + i, "Green " + i, "blue", later));
        }
        Set<UUID> samples = run.stream().map(JudgeRequest::sampleId).collect(Collectors.toSet());
        try (TopicReader scores = new TopicReader(scoreTopic)) {
            double failuresBefore = metric("optbench_judge_endpoint_failures_total", "provider=\"openai\"");
            run.forEach(this::publish);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (metric("optbench_judge_endpoint_failures_total", "provider=\"openai\"") < failuresBefore + 4) {
                assertTrue(System.nanoTime() < deadline, "the judge kept asking the endpoint that is down");
                scores.readFor(Duration.ofMillis(200));
            }
            assertEquals(List.of(), scoresOf(scores.readFor(Duration.ofMillis(500)), samples), "nothing is scored while the judge is down");

            try (LlamaServerProcess judge = LlamaServerProcess.start(port)) {
                List<Score> judged = awaitScores(scores, samples, 3);
                List<Score> all = scoresOf(scores.readFor(Duration.ofSeconds(5)), samples);
                assertEquals(9, judged.size());
                Map<UUID, Long> perScore = all.stream().collect(Collectors.groupingBy(Score::scoreId, Collectors.counting()));
                assertEquals(9, perScore.size());
                perScore.forEach((id, count) -> assertEquals(1L, count, "score " + id + " published once"));
                all.stream().filter(score -> score.kind() != ScoreKind.REFERENCE)
                        .forEach(score -> assertEquals("openai:tiny-llama-f16-later", score.judgeModel()));
            }
        }
    }

    @Test
    void aRunJudgeThatIsDownHoldsUpNoRequestForTheLiveJudgeAndItsRequestsAreDeadLetteredWhenItStaysDown() {
        // More requests for the dead judge than the service has consumer threads (concurrency 2): none may hold one.
        JudgeModelSpec dead = new JudgeModelSpec("openai", "http://127.0.0.1:" + LlamaServerProcess.freePort() + "/v1", "mistyped");
        List<JudgeRequest> forDead = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            forDead.add(request("Name a river, number " + i + ". [" + UUID.randomUUID() + "]", "The Loire.", "The Rhône.", null, dead));
        }
        List<JudgeRequest> forLive = List.of(
                request("Name a mountain. [" + UUID.randomUUID() + "]", "Mont Blanc.", "The Matterhorn.", null, null),
                request("Name a lake. [" + UUID.randomUUID() + "]", "Lake Geneva.", "Lake Como.", null, null));
        Set<String> deadSamples = forDead.stream().map(request -> request.sampleId().toString()).collect(Collectors.toSet());
        try (TopicReader scores = new TopicReader(scoreTopic); TopicReader deadLetters = new TopicReader(deadLetterTopic)) {
            forDead.forEach(this::publish);
            forLive.forEach(this::publish);
            List<Score> live = awaitScores(scores, forLive.stream().map(JudgeRequest::sampleId).collect(Collectors.toSet()), 2);
            assertEquals(4, live.size());
            assertTrue(deadLetters.readFor(Duration.ofMillis(200)).stream().noneMatch(record -> deadSamples.contains(record.key())),
                    "scored while the dead judge's requests are still pending");

            List<ConsumerRecord<String, String>> letters = deadLetters.readUntil(
                    read -> read.stream().filter(record -> deadSamples.contains(record.key())).count() >= 3,
                    RUN_JUDGE_GIVE_UP_AFTER.plus(JUDGING)).stream().filter(record -> deadSamples.contains(record.key())).toList();
            assertEquals(3, letters.size(), "each dead-lettered once");
            for (ConsumerRecord<String, String> letter : letters) {
                String reason = new String(letter.headers().lastHeader("reason").value(), StandardCharsets.UTF_8);
                assertTrue(reason.startsWith("gave up after judge openai:mistyped at " + dead.baseUrl()), reason);
            }
            assertEquals(List.of(), scoresOf(scores.readFor(Duration.ofSeconds(1)),
                    forDead.stream().map(JudgeRequest::sampleId).collect(Collectors.toSet())), "no scores from a judge that never answered");
        }
    }

    @Test
    void anEndpointWhoseRepliesCannotBeReadGivesUnparseableScoresAfterOneRetry() {
        String completion = """
                {"id":"c","object":"chat.completion","created":1,"model":"m",\
                "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"I think answer A is better."}}]}""";
        try (HttpExchangeServer endpoint = new HttpExchangeServer(request -> Answer.json(completion)); TopicReader scores = new TopicReader(scoreTopic)) {
            JudgeRequest request = request("Capital of Italy? [" + UUID.randomUUID() + "]", "Rome", "Milan", "Rome",
                    new JudgeModelSpec("openai", endpoint.url() + "/v1", "prose-only"));
            publish(request);
            Map<ScoreKind, Score> judged = byKind(awaitScores(scores, Set.of(request.sampleId()), 3));
            assertEquals(Verdict.UNPARSEABLE, judged.get(ScoreKind.PAIRWISE).verdict());
            assertNull(judged.get(ScoreKind.PAIRWISE).positionDisagreement());
            assertEquals(List.of("answer-first #1: I think answer A is better.", "answer-first #2: I think answer A is better.",
                    "baseline-first #1: I think answer A is better.", "baseline-first #2: I think answer A is better."),
                    judged.get(ScoreKind.PAIRWISE).rawReplies());
            assertEquals(Verdict.UNPARSEABLE, judged.get(ScoreKind.RUBRIC).verdict());
            assertNull(judged.get(ScoreKind.RUBRIC).grade());
            assertEquals(2, judged.get(ScoreKind.RUBRIC).rawReplies().size());
            assertEquals(Verdict.PASS, judged.get(ScoreKind.REFERENCE).verdict());
            assertEquals(6, endpoint.received().size());
            assertTrue(metric("optbench_judge_unparseable_total", "kind=\"rubric\"") >= 1);
        }
    }

    @Test
    void aLaterRoundReachesTheJudgeWithTheEarlierQuestionsOfItsConversation() {
        String completion = """
                {"id":"c","object":"chat.completion","created":1,"model":"m",\
                "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{\\"winner\\": \\"tie\\", \\"reason\\": \\"r\\"}"}}]}""";
        String earlier = "Which city should I visit in France? [" + UUID.randomUUID() + "]";
        try (HttpExchangeServer endpoint = new HttpExchangeServer(request -> Answer.json(completion)); TopicReader scores = new TopicReader(scoreTopic)) {
            JudgeRequest firstRound = request("And what should I eat there?", "Crêpes.", "Soup.", null,
                    new JudgeModelSpec("openai", endpoint.url() + "/v1", "recorder"));
            JudgeRequest later = new JudgeRequest(SchemaVersion.CURRENT, firstRound.runId(), firstRound.trialId(), firstRound.sampleId(),
                    firstRound.baselineSampleId(), firstRound.prompt(), List.of(earlier), firstRound.answer(), firstRound.baselineAnswer(), null,
                    firstRound.judgeModel());
            publish(later);
            awaitScores(scores, Set.of(later.sampleId()), 2);
            List<String> bodies = endpoint.received().stream().map(HttpExchangeServer.Received::body).toList();
            assertTrue(bodies.size() >= 3, bodies.toString());
            bodies.forEach(body -> assertTrue(body.contains("BEGIN EARLIER QUESTION 1 [") && body.contains(earlier)
                    && body.indexOf(earlier) < body.indexOf("And what should I eat there?"), body));
        }
    }

    @Test
    void aRunCanNameAnOllamaJudge() {
        // No Ollama binary can be installed here: this endpoint answers Ollama's /api/chat in its documented format.
        String pairwise = "{\"model\":\"qwen2.5:7b-instruct\",\"created_at\":\"2025-01-14T10:02:11Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"{\\\"winner\\\": \\\"A\\\", \\\"reason\\\": \\\"first is better\\\"}\"},\"done_reason\":\"stop\",\"done\":true}";
        String rubric = "{\"model\":\"qwen2.5:7b-instruct\",\"created_at\":\"2025-01-14T10:02:12Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"{\\\"helpfulness\\\": 7, \\\"correctness\\\": 8, \\\"relevance\\\": 6, \\\"fluency\\\": 9, \\\"reason\\\": \\\"ok\\\"}\"},"
                + "\"done_reason\":\"stop\",\"done\":true}";
        Set<String> paths = new HashSet<>();
        try (HttpExchangeServer ollama = new HttpExchangeServer(request -> {
            paths.add(request.path());
            return Answer.json(request.body().contains("\"winner\"") ? pairwise : rubric);
        }); TopicReader scores = new TopicReader(scoreTopic)) {
            JudgeRequest request = request("Capital of Spain? [" + UUID.randomUUID() + "]", "Madrid", "Barcelona", null,
                    new JudgeModelSpec("ollama", ollama.url(), "qwen2.5:7b-instruct"));
            publish(request);
            Map<ScoreKind, Score> judged = byKind(awaitScores(scores, Set.of(request.sampleId()), 2));
            assertEquals(Verdict.TIE, judged.get(ScoreKind.PAIRWISE).verdict(), "a judge that always picks A agrees with neither order");
            assertEquals(true, judged.get(ScoreKind.PAIRWISE).positionDisagreement());
            assertEquals("ollama:qwen2.5:7b-instruct", judged.get(ScoreKind.PAIRWISE).judgeModel());
            assertEquals(7.5, judged.get(ScoreKind.RUBRIC).grade(), 1e-9);
            assertEquals(Set.of("/api/chat"), paths);
        }
    }

    @Test
    void healthSaysTheDefaultJudgeAnswersAndMetricsCountJudgements() {
        given().when().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'default judge endpoint' }.status", org.hamcrest.Matchers.is("UP"))
                .body("checks.find { it.name == 'default judge endpoint' }.data.judgeModel", org.hamcrest.Matchers.is("openai:tiny-llama-f16"))
                .body("checks.find { it.name == 'default judge endpoint' }.data.answers", org.hamcrest.Matchers.is(true));
        given().when().get("/q/health/ready").then().statusCode(200);
        JudgeRequest request = request("Say yes. [" + UUID.randomUUID() + "]", "yes", null, "yes", null);
        try (TopicReader scores = new TopicReader(scoreTopic)) {
            publish(request);
            awaitScores(scores, Set.of(request.sampleId()), 2);
        }
        assertTrue(metric("optbench_judge_judgements_total", "kind=\"reference\"") >= 1);
        assertTrue(metric("optbench_judge_call_seconds_count", "kind=\"rubric\"") >= 1);
    }
}
