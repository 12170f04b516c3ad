package dev.optbench.judge.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.messages.Verdict;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.judge.cache.JudgementCache;
import dev.optbench.judge.idle.IdleTrialsGate;
import dev.optbench.judge.idle.RunningRuns;
import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.models.JudgeModel;
import dev.optbench.judge.models.JudgeModels;
import dev.optbench.judge.models.JudgeUnavailableException;
import dev.optbench.judge.models.RejectedReply;
import dev.optbench.judge.scoring.EndpointBackoff;
import dev.optbench.judge.scoring.JudgeMetrics;
import dev.optbench.judge.scoring.RetryPolicy;
import dev.optbench.judge.scoring.ScoringService;
import dev.optbench.judge.scoring.StopSignal;
import dev.optbench.judge.verdicts.JudgePrompt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer's handling of a judge that does not answer and a broker that does not take what it publishes (real scoring, scripted judges and emitters). */
class JudgeRequestConsumerTest {
    private static final String GRADES = "{\"helpfulness\": 8, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7, \"reason\": \"r\"}";
    private static final RetryPolicy QUICK = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), null);

    private static final JudgeModelSpec DOWN_JUDGE = new JudgeModelSpec("openai", "http://127.0.0.1:8/v1", "down");

    private final StopSignal stop = new StopSignal();
    private final ScriptedEmitter scoreTopic = new ScriptedEmitter();
    private final ScriptedEmitter deadLetterTopic = new ScriptedEmitter();
    private final AtomicBoolean downJudgeAnswers = new AtomicBoolean();
    private final AtomicInteger downJudgeCalls = new AtomicInteger();
    private final JudgeRequestConsumer consumer = consumer();

    private static JudgeModel grader(JudgeEndpoint endpoint, Runnable beforeReply) {
        return new JudgeModel() {
            @Override
            public JudgeEndpoint endpoint() {
                return endpoint;
            }

            @Override
            public String reply(JudgePrompt prompt, RejectedReply rejected) {
                beforeReply.run();
                return GRADES;
            }
        };
    }

    private JudgeRequestConsumer consumer() {
        JudgeModel live = grader(new JudgeEndpoint("openai", "http://127.0.0.1:9/v1", "grader", null), () -> { });
        JudgeModel down = grader(new JudgeEndpoint(DOWN_JUDGE.provider(), DOWN_JUDGE.baseUrl(), DOWN_JUDGE.model(), null), () -> {
            downJudgeCalls.incrementAndGet();
            if (!downJudgeAnswers.get()) {
                throw new JudgeUnavailableException("connection refused", new ConnectException("refused"));
            }
        });
        JudgeModels models = new JudgeModels() {
            @Override
            public JudgeModel forRun(JudgeModelSpec spec) {
                return spec == null ? live : down;
            }

            @Override
            public JudgeEndpoint defaultEndpoint() {
                return live.endpoint();
            }
        };
        JudgeMetrics metrics = new JudgeMetrics(new SimpleMeterRegistry());
        EndpointBackoff backoff = new EndpointBackoff(QUICK, Duration.ofMinutes(30), live.endpoint());
        ScoringService scoring = new ScoringService(models, new JudgementCache(100, null), metrics, backoff);
        ScorePublisher scores = new ScorePublisher();
        scores.emitter = scoreTopic;
        DeadLetters deadLetters = new DeadLetters();
        deadLetters.emitter = deadLetterTopic;
        IdleTrialsGate alwaysIdle = new IdleTrialsGate(false, new RunningRuns(URI.create("http://127.0.0.1:9")), Duration.ofSeconds(1), stop);
        return new JudgeRequestConsumer(scoring, alwaysIdle, scores, deadLetters, new PublishRetry(stop, QUICK),
                new PendingRequests(backoff, stop, metrics, 100), metrics);
    }

    @AfterEach
    void stopRetries() {
        stop.stop();
    }

    /** An incoming record that counts its acknowledgements. */
    private static final class Incoming {
        final AtomicInteger acks = new AtomicInteger();
        final AtomicInteger nacks = new AtomicInteger();
        final Message<String> message;

        Incoming(String payload) {
            message = Message.of(payload).withAck(() -> {
                acks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }).withNack(failure -> {
                nacks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    private static Incoming request() {
        return request(null);
    }

    private static Incoming request(JudgeModelSpec judge) {
        return new Incoming(Messages.toJson(new JudgeRequest(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                null, "Capital of France? [" + UUID.randomUUID() + "]", null, "Paris.", null, null, judge)));
    }

    /** Consumes on another thread, as the consumer's worker pool does, failing when the consumer's thread is held longer than 10 s. */
    private void consume(Incoming incoming) throws Exception {
        CompletableFuture.supplyAsync(() -> consumer.consume(incoming.message)).get(10, TimeUnit.SECONDS).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String reason(Message<? extends String> letter) {
        return new String(letter.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders().lastHeader("reason").value(),
                StandardCharsets.UTF_8);
    }

    @Test
    void aRequestForAJudgeThatIsDownIsSetAsideSoTheConsumerGoesOnAndItIsScoredOnceWhenTheJudgeAnswers() throws Exception {
        Incoming waiting = request(DOWN_JUDGE);
        consume(waiting);
        assertEquals(0, waiting.acks.get(), "set aside, unacknowledged");
        Incoming other = request();
        consume(other);
        assertEquals(1, other.acks.get(), "a request for another judge is scored while the first waits");
        assertEquals(1, scoreTopic.taken.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (downJudgeCalls.get() < 3) {
            assertTrue(System.nanoTime() < deadline, "the set-aside request is tried again");
            Thread.sleep(5);
        }
        assertEquals(0, waiting.acks.get());

        downJudgeAnswers.set(true);
        while (waiting.acks.get() == 0) {
            assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10), "scored once the judge answers");
            Thread.sleep(5);
        }
        assertEquals(2, scoreTopic.taken.size());
        assertEquals(1, waiting.acks.get());
        assertEquals(0, waiting.nacks.get() + other.nacks.get());
    }

    @Test
    void scoresTheBrokerDoesNotTakeInTimeArePublishedAgainAndTheRequestIsAcknowledgedOnce() throws Exception {
        scoreTopic.thenFail(new TimeoutException("Expiring 1 record(s) for bench.scores-0: 120000 ms has passed"))
                .thenFail(new TimeoutException("Topic bench.scores not present in metadata after 60000 ms"));
        Incoming incoming = request();
        consume(incoming);
        assertEquals(1, incoming.acks.get());
        assertEquals(0, incoming.nacks.get(), "a nack would stop the channel (failure-strategy=fail)");
        assertEquals(3, scoreTopic.sent.size());
        Score score = Messages.fromJson(scoreTopic.taken.get(0).getPayload(), Score.class);
        assertEquals(Verdict.GRADED, score.verdict());
        assertEquals(0, deadLetterTopic.sent.size());
    }

    @Test
    void aDeadLetterTheBrokerDoesNotTakeInTimeIsSentAgain() throws Exception {
        deadLetterTopic.thenFail(new TimeoutException("Expiring 1 record(s) for bench.dead-letter-0"));
        Incoming poison = new Incoming("this is not JSON {");
        consume(poison);
        assertEquals(1, poison.acks.get());
        assertEquals(0, poison.nacks.get());
        assertEquals(2, deadLetterTopic.sent.size());
        assertTrue(reason(deadLetterTopic.taken.get(0)).startsWith("not JSON"), reason(deadLetterTopic.taken.get(0)));
    }

    @Test
    void scoresTheBrokerRefusesForGoodDeadLetterTheRequestWithTheReason() throws Exception {
        scoreTopic.thenFail(new RecordTooLargeException("The message is 2000000 bytes when serialized"));
        Incoming incoming = request();
        consume(incoming);
        assertEquals(1, incoming.acks.get());
        assertEquals(0, incoming.nacks.get());
        assertEquals(1, scoreTopic.sent.size(), "a refusal that will not pass is not sent again");
        assertTrue(reason(deadLetterTopic.taken.get(0)).contains("2000000 bytes"), reason(deadLetterTopic.taken.get(0)));
    }

    @Test
    void aRequestThatCanBeNeitherScoredNorDeadLetteredStaysUnacknowledgedAndTheConsumerGoesOn() throws Exception {
        scoreTopic.thenFail(new RecordTooLargeException("too large"));
        deadLetterTopic.thenFail(new RecordTooLargeException("too large"));
        Incoming stuck = request();
        consume(stuck);
        assertEquals(0, stuck.acks.get(), "its offset stays uncommitted, so the next start judges it again");
        assertEquals(0, stuck.nacks.get());

        Incoming next = request();
        consume(next);
        assertEquals(1, next.acks.get());
    }
}
