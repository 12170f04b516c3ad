package dev.optbench.judge.it;

import dev.optbench.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What every judge test runs against: the shared test Kafka broker, with topics of this test run's own (the
 * broker is shared with other modules' tests, whose requests this judge must not take), and a real
 * llama-server on the tiny model as the default judge.
 */
public class JudgeTestResources implements QuarkusTestResourceLifecycleManager {
    private LlamaServerProcess judge;
    private List<String> topics = List.of();

    @Override
    public Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String requests = "bench.judge.test-" + run;
        String scores = "bench.scores.test-" + run;
        String deadLetters = "bench.dead-letter.test-" + run;
        topics = List.of(requests, scores, deadLetters);
        createTopics(topics);
        judge = LlamaServerProcess.start(LlamaServerProcess.freePort());
        return Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", TestInfrastructure.kafkaBootstrap()),
                Map.entry("mp.messaging.incoming.judge-requests.topic", requests),
                Map.entry("mp.messaging.incoming.judge-requests.group.id", "judge-test-" + run),
                Map.entry("mp.messaging.outgoing.scores.topic", scores),
                Map.entry("mp.messaging.outgoing.dead-letters.topic", deadLetters),
                Map.entry("optbench.judge.provider", "openai"),
                Map.entry("optbench.judge.base-url", judge.openAiBaseUrl()),
                Map.entry("optbench.judge.model", "tiny-llama-f16"),
                Map.entry("optbench.judge.timeout", "60s"),
                Map.entry("optbench.judge.concurrency", "2"),
                Map.entry("optbench.judge.retry.initial-backoff", "200ms"),
                Map.entry("optbench.judge.retry.max-backoff", "1s"),
                Map.entry("optbench.judge.retry.run-judge-give-up-after", JudgePipelineTest.RUN_JUDGE_GIVE_UP_AFTER.toSeconds() + "s"));
    }

    private static Admin admin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap());
        return Admin.create(config);
    }

    private static void createTopics(List<String> names) {
        try (Admin admin = admin()) {
            admin.createTopics(names.stream().map(name -> new NewTopic(name, 2, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the test topics " + names, e);
        }
    }

    @Override
    public void stop() {
        try {
            if (judge != null) {
                judge.close();
            }
        } finally {
            try (Admin admin = admin()) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot delete the test topics " + topics, e);
            }
        }
    }
}
