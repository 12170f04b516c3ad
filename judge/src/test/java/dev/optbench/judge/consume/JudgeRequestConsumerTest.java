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
import dev.optbench.judge.models.RejectedReply;
import dev.optbench.judge.scoring.JudgeMetrics;
import dev.optbench.judge.scoring.RetryPolicy;
import dev.optbench.judge.scoring.ScoringService;
import dev.optbench.judge.scoring.StopSignal;
import dev.optbench.judge.verdicts.JudgePrompt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The consumer's handling of a broker that does not take what it publishes (real scoring, scripted emitters). */
class JudgeRequestConsumerTest {
    private static final String GRADES = "{\"helpfulness\": 8, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7, \"reason\": \"r\"}";
    private static final RetryPolicy QUICK = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), null);

    private final StopSignal stop = new StopSignal();
    private final ScriptedEmitter scoreTopic = new ScriptedEmitter();
    private final ScriptedEmitter deadLetterTopic = new ScriptedEmitter();
    private final JudgeRequestConsumer consumer = consumer();

    private JudgeRequestConsumer consumer() {
        JudgeModel judge = new JudgeModel() {
            private final JudgeEndpoint endpoint = new JudgeEndpoint("openai", "http://127.0.0.1:9/v1", "grader", null);

            @Override
            public JudgeEndpoint endpoint() {
                return endpoint;
            }

            @Override
            public String reply(JudgePrompt prompt, RejectedReply rejected) {
                return GRADES;
            }
        };
        JudgeModels models = new JudgeModels() {
            @Override
            public JudgeModel forRun(JudgeModelSpec spec) {
                return judge;
            }

            @Override
            public JudgeEndpoint defaultEndpoint() {
                return judge.endpoint();
            }
        };
        JudgeMetrics metrics = new JudgeMetrics(new SimpleMeterRegistry());
        ScoringService scoring = new ScoringService(models, new JudgementCache(100, null), metrics, QUICK, stop);
        ScorePublisher scores = new ScorePublisher();
        scores.emitter = scoreTopic;
        DeadLetters deadLetters = new DeadLetters();
        deadLetters.emitter = deadLetterTopic;
        IdleTrialsGate alwaysIdle = new IdleTrialsGate(false, new RunningRuns(URI.create("http://127.0.0.1:9")), Duration.ofSeconds(1), stop);
        return new JudgeRequestConsumer(scoring, alwaysIdle, scores, deadLetters, new PublishRetry(stop, QUICK), metrics);
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
        return new Incoming(Messages.toJson(new JudgeRequest(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                null, "Capital of France?", null, "Paris.", null, null, null)));
    }

    private static String reason(Message<? extends String> letter) {
        return new String(letter.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders().lastHeader("reason").value(),
                StandardCharsets.UTF_8);
    }

    @Test
    void scoresTheBrokerDoesNotTakeInTimeArePublishedAgainAndTheRequestIsAcknowledgedOnce() throws Exception {
        scoreTopic.thenFail(new TimeoutException("Expiring 1 record(s) for bench.scores-0: 120000 ms has passed"))
                .thenFail(new TimeoutException("Topic bench.scores not present in metadata after 60000 ms"));
        Incoming incoming = request();
        consumer.consume(incoming.message).toCompletableFuture().get(10, TimeUnit.SECONDS);
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
        consumer.consume(poison.message).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, poison.acks.get());
        assertEquals(0, poison.nacks.get());
        assertEquals(2, deadLetterTopic.sent.size());
        assertTrue(reason(deadLetterTopic.taken.get(0)).startsWith("not JSON"), reason(deadLetterTopic.taken.get(0)));
    }

    @Test
    void scoresTheBrokerRefusesForGoodDeadLetterTheRequestWithTheReason() throws Exception {
        scoreTopic.thenFail(new RecordTooLargeException("The message is 2000000 bytes when serialized"));
        Incoming incoming = request();
        consumer.consume(incoming.message).toCompletableFuture().get(10, TimeUnit.SECONDS);
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
        consumer.consume(stuck.message).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, stuck.acks.get(), "its offset stays uncommitted, so the next start judges it again");
        assertEquals(0, stuck.nacks.get());

        Incoming next = request();
        consumer.consume(next.message).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, next.acks.get());
    }
}
