package dev.optbench.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.testsupport.HostileRunSpecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The reliability and security suite against a whole stack of its own (three workers in one pool): process faults,
 * message faults, hostile input, access and load. After each fault every trial of the run must be stored exactly once
 * or be FAILED with its reason. {@code -Dreliability.form=full} (reliability/run.sh) repeats each fault and loads
 * 100 runs; the default, the CI form, does each once at the smallest size that still catches the fault in flight.
 * Each scenario writes its row of the table to target/reliability/scenarios.tsv.
 */
@Tag("reliability")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackReliabilityTest {
    private static final boolean FULL = "full".equals(System.getProperty("reliability.form", "ci"));
    private static final int REPEATS = FULL ? 3 : 1;
    private static final int LOAD_RUNS = FULL ? 100 : 10;
    private static final int WORKERS = 3;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Pattern WORKER_INSTANCE = Pattern.compile("(worker(?:-\\d+)?)$");
    private static final List<UUID> RUNS = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startTheStack() throws IOException {
        Report.reset();
        Stack.down();
        Stack.up(WORKERS);
        assertEquals(WORKERS, Stack.workers().size(), "workers running: " + Stack.workers());
    }

    @AfterAll
    static void stopTheStack() {
        Stack.down();
        assertEquals(List.of(), Stack.llamaServersOfThisStack(), "no llama-server of the stack is left");
    }

    /** A run of the tiny model: a baseline and variants that differ in --ctx-size, each request at most 16 tokens. */
    static String spec(String name, int trials, int prompts, int repetitions, boolean judge) {
        StringBuilder variants = new StringBuilder();
        for (int i = 1; i < trials; i++) {
            variants.append(i == 1 ? "" : ", ").append("{\"name\": \"ctx ").append(512 + 64 * i).append("\", \"flags\": {\"--ctx-size\": ")
                    .append(512 + 64 * i).append("}}");
        }
        // Prompts of their own, so no earlier run's answers are in the judge's cache.
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder conversations = new StringBuilder();
        for (int i = 0; i < prompts; i++) {
            conversations.append(i == 0 ? "" : ", ").append("[\"Count from ").append(i).append(" to ").append(i + 9).append(" (")
                    .append(nonce).append(").\"]");
        }
        return """
                {"name": "%s", "pool": "cpu", "models": ["synthetic:tiny"],
                 "baseline": {"name": "Baseline", "flags": {"--ctx-size": 512}}, "variants": [%s],
                 "workload": {"conversations": [%s], "repetitions": %d, "maxTokens": 16, "temperature": 0, "seed": 42},
                 "quality": {"judge": %s}}""".formatted(name, variants, conversations, repetitions, judge);
    }

    private static UUID submit(String spec) {
        UUID id = Api.submit(spec);
        RUNS.add(id);
        return id;
    }

    /** Waits for a trial of the run that has played some but not all of its requests. */
    private static JsonNode awaitTrialInProgress(UUID runId) {
        JsonNode run = Api.awaitRun(runId, RUN_TIMEOUT, r -> Api.trialInProgress(r) != null, "have a trial in progress");
        return Api.trialInProgress(run);
    }

    /** Waits until a trial of the run has started (its server loads or plays its workload) and none has ended. */
    private static void awaitRunUnderWay(UUID runId) {
        Api.awaitRun(runId, RUN_TIMEOUT, r -> {
            boolean started = false;
            for (JsonNode trial : r.path("trials")) {
                if (Api.FINAL.contains(trial.path("status").asText())) {
                    return false;
                }
                started |= trial.path("status").asText().equals("RUNNING");
            }
            return started;
        }, "have a trial under way");
    }

    /** Lines of a service's log that hold the text. */
    private static long logLines(String service, String text) {
        try (Stream<String> lines = Files.lines(Stack.HOME.resolve("logs/" + service + ".log"))) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String instanceOf(String workerId) {
        Matcher matcher = WORKER_INSTANCE.matcher(workerId);
        assertTrue(matcher.find(), "worker id " + workerId);
        return matcher.group(1);
    }

    private static void assertExactlyOnce(String scenario, Ledger ledger) {
        assertTrue(ledger.exactlyOnce(), scenario + ": " + ledger);
    }

    // ---- access and loopback

    @Test
    @Order(1)
    void everyPartOfTheStackListensOnLoopbackOnly() {
        Map<String, List<String>> exposed = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>(List.of("kafka", "postgres", "judge-llm", "orchestrator", "judge", "viz-service"));
        parts.addAll(Stack.workers());
        for (String part : parts) {
            long pid = Stack.requirePid(part);
            List<String> addresses = ListeningSockets.of(pid);
            assertTrue(!addresses.isEmpty(), part + " listens somewhere");
            List<String> open = addresses.stream().filter(a -> !ListeningSockets.loopback(a)).toList();
            if (!open.isEmpty()) {
                exposed.put(part, open);
            }
        }
        assertEquals(Map.of(), exposed, "parts listening beyond loopback");
    }

    @Test
    @Order(2)
    void mutatingEndpointsRefuseRequestsWithoutTheKey() {
        List<String> accepted = new ArrayList<>();
        int mutating = 0;
        for (String service : List.of("orchestrator", "worker", "judge", "viz-service")) {
            JsonNode paths = Api.get(Stack.url(service) + "/q/openapi?format=json").json().path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (String method : List.of("post", "put", "patch", "delete")) {
                    if (!path.getValue().has(method)) {
                        continue;
                    }
                    String url = Stack.url(service) + path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                    if (service.equals("worker") && path.getKey().equals("/api/trials/script")) {
                        // Renders a script from the body and stores nothing: checked below to change nothing.
                        continue;
                    }
                    mutating++;
                    for (String key : new String[] {null, "not-the-key", ""}) {
                        Api.Reply reply = Api.send(method.toUpperCase(Locale.ROOT), url, "application/json", "{}".getBytes(StandardCharsets.UTF_8), key);
                        if (reply.status() != 401 && reply.status() != 403) {
                            accepted.add(method.toUpperCase(Locale.ROOT) + " " + service + path.getKey() + " with key " + key + " → " + reply.status());
                        }
                    }
                }
            }
        }
        assertTrue(mutating >= 2, "the orchestrator's submit and cancel at least: " + mutating);
        assertEquals(List.of(), accepted, "mutating requests without the key that were not refused");

        String before = Api.get(Stack.url("worker") + "/api/trials").body();
        Api.Reply script = Api.send("POST", Stack.url("worker") + "/api/trials/script", "application/json",
                "{\"schemaVersion\": 1}".getBytes(StandardCharsets.UTF_8), null);
        assertTrue(script.status() == 400 || script.status() == 401, "the worker's script endpoint: " + script.status());
        assertEquals(before, Api.get(Stack.url("worker") + "/api/trials").body(), "the script endpoint ran nothing");
    }

    // ---- bad input

    @Test
    @Order(3)
    void hostileRunSpecsAre4xxStoreNothingAndStartNoProcess() throws Exception {
        List<HostileRunSpecs.Case> corpus = HostileRunSpecs.corpus("cpu", FlagPolicy.pinnedRelease().forbidden().keySet());
        long runsBefore = countRuns();
        Map<TopicPartition, Long> jobsBefore = Broker.ends(Topics.jobs("cpu"));
        String trialsBefore = Api.get(Stack.url("worker") + "/api/trials").body();
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger serversSeen = new AtomicInteger();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (watching.get()) {
                serversSeen.accumulateAndGet(Stack.trialServers().size(), Math::max);
                Api.sleep(Duration.ofMillis(100));
            }
        });
        int clientErrors = 0;
        int serverErrors = 0;
        List<String> wrong = new ArrayList<>();
        for (HostileRunSpecs.Case hostile : corpus) {
            Api.Reply reply = Api.send("POST", Api.orchestrator() + "/api/runs", hostile.contentType(), hostile.body(), Stack.apiKey());
            if (reply.status() >= 500) {
                serverErrors++;
            } else if (reply.status() >= 400) {
                clientErrors++;
            }
            if (reply.status() < 400 || reply.status() >= 500 || !reply.contentType().startsWith("application/problem+json")) {
                wrong.add(hostile + " → " + reply.status() + " " + reply.contentType());
            }
        }
        Api.sleep(Duration.ofSeconds(2));
        watching.set(false);
        watcher.join();
        long stored = countRuns() - runsBefore;
        Report.badInput(corpus.size(), clientErrors, serverErrors, stored, serversSeen.get());

        assertEquals(List.of(), wrong.subList(0, Math.min(40, wrong.size())), wrong.size() + " of " + corpus.size() + " not refused well");
        assertEquals(0, stored, "runs stored");
        assertEquals(jobsBefore, Broker.ends(Topics.jobs("cpu")), "jobs published");
        assertEquals(0, serversSeen.get(), "llama-server processes started");
        assertEquals(trialsBefore, Api.get(Stack.url("worker") + "/api/trials").body(), "trials the worker ran");
    }

    private static long countRuns() throws Exception {
        try (var db = Stack.database(); var rs = db.createStatement().executeQuery("SELECT count(*) FROM run")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- message faults

    @Test
    @Order(4)
    void poisonMessagesGoToTheDeadLetterTopicWithTheirReasonAndConsumersGoOn() {
        String marker = "poison-" + UUID.randomUUID();
        Map<String, String> poisons = new LinkedHashMap<>();
        for (String topic : List.of(Topics.RESULTS, Topics.EVENTS, Topics.SCORES, Topics.jobs("cpu"), Topics.JUDGE)) {
            poisons.put(marker + "|" + topic + "|malformed", "{\"schemaVersion\": 1, \"runId\": ");
            poisons.put(marker + "|" + topic + "|schema", "{\"schemaVersion\": 999, \"runId\": \"" + UUID.randomUUID() + "\"}");
        }
        poisons.put(marker + "|" + Topics.EVENTS + "|unknown-trial", """
                {"schemaVersion": 1, "type": "trial-progress", "workerId": "nobody", "runId": "%s", "trialId": "%s", "phase": "STARTED",
                 "samplesDone": 0, "samplesTotal": 1, "at": "2026-01-01T00:00:00Z"}""".formatted(UUID.randomUUID(), UUID.randomUUID()));
        Map<TopicPartition, Long> deadLettersBefore = Broker.ends(Topics.DEAD_LETTER);
        poisons.forEach((key, value) -> Broker.send(key.split("\\|")[1], key, value));

        Map<String, String> reasons = new HashMap<>();
        Instant deadline = Instant.now().plusSeconds(90);
        while (reasons.size() < poisons.size() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> letter : Broker.read(deadLettersBefore, r -> r.key() != null && r.key().startsWith(marker))) {
                Header reason = letter.headers().lastHeader("reason");
                Header source = letter.headers().lastHeader("source-topic");
                String key = letter.key();
                assertNotNull(source, key + " has a source-topic header");
                assertEquals(key.split("\\|")[1], new String(source.value(), StandardCharsets.UTF_8), key);
                reasons.put(key, reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
            }
            Api.sleep(Duration.ofSeconds(1));
        }
        assertEquals(poisons.keySet(), reasons.keySet(), "poison messages in bench.dead-letter");
        reasons.forEach((key, reason) -> assertTrue(!reason.isBlank(), key + " carries its reason"));

        // The consumers moved past the poison: their groups committed it, and every service is still live.
        Broker.awaitCaughtUp("optbench-orchestrator", Duration.ofSeconds(60), Topics.RESULTS, Topics.EVENTS, Topics.SCORES);
        Broker.awaitCaughtUp("optbench-worker-cpu", Duration.ofSeconds(60), Topics.jobs("cpu"));
        Broker.awaitCaughtUp("optbench-judge", Duration.ofSeconds(60), Topics.JUDGE);
        List<String> services = new ArrayList<>(List.of("orchestrator", "judge"));
        services.addAll(Stack.workers());
        for (String service : services) {
            assertEquals(200, Api.get(Stack.url(service) + "/q/health/live").status(), service + " is live after the poison");
        }
        aCancelBehindPoisonOnTheControlTopicStillStopsTheRunsTrial(deadLettersBefore);
    }

    /**
     * bench.control is read by every worker, so a record a worker cannot read is logged and skipped there rather than
     * dead-lettered (once per worker); a cancel sent behind such records must still stop the trial a worker runs.
     */
    private static void aCancelBehindPoisonOnTheControlTopicStillStopsTheRunsTrial(Map<TopicPartition, Long> deadLettersBefore) {
        String skipped = "skipping unreadable bench.control record";
        Map<String, Long> skippedBefore = new LinkedHashMap<>();
        Stack.workers().forEach(worker -> skippedBefore.put(worker, logLines(worker, skipped)));
        // 240 requests, so the trial still runs when the cancel reaches its worker.
        UUID runId = submit(spec("cancel-after-poison", 1, 12, 20, false));
        Map<TopicPartition, Long> controlBefore = Broker.ends(Topics.CONTROL);
        // Keyed like the cancel, so they share its partition and every worker reads them before it.
        Broker.send(Topics.CONTROL, runId.toString(), "{\"schemaVersion\": 1, \"runId\": ");
        Broker.send(Topics.CONTROL, runId.toString(), "{\"schemaVersion\": 999, \"runId\": \"" + UUID.randomUUID() + "\"}");
        JsonNode running = awaitTrialInProgress(runId);
        String trialId = running.path("id").asText();
        String instance = instanceOf(running.path("workerId").asText());
        Api.Reply cancel = Api.send("POST", Api.orchestrator() + "/api/runs/" + runId + "/cancel", null, null, Stack.apiKey());
        assertEquals(200, cancel.status(), "cancel: " + cancel.body());

        // The orchestrator marks the run CANCELLED by itself; only the worker's own record shows it read the cancel.
        JsonNode stopped = awaitWorkerTrial(instance, trialId, Duration.ofSeconds(60));
        assertEquals("CANCELLED", stopped.path("status").asText(), instance + " ran trial " + trialId + " to its end: " + stopped);
        assertEquals("the run was cancelled", stopped.path("reason").asText(), stopped.toString());
        assertTrue(stopped.path("sampleCount").asInt() < running.path("samplesTotal").asInt(), "stopped early: " + stopped);
        assertEquals("CANCELLED", Api.run(runId).path("status").asText());
        List<ConsumerRecord<String, String>> control = Broker.read(controlBefore, r -> runId.toString().equals(r.key()));
        assertEquals(3, control.size(), "the two poison records and the cancel on bench.control");
        assertEquals(List.of(), Broker.read(deadLettersBefore, r -> runId.toString().equals(r.key())), "bench.control records dead-lettered");
        Map<String, Long> bothSkipped = new LinkedHashMap<>();
        skippedBefore.keySet().forEach(worker -> bothSkipped.put(worker, 2L));
        Instant deadline = Instant.now().plusSeconds(30);
        Map<String, Long> skippedSince = linesSince(skippedBefore, skipped);
        while (!skippedSince.equals(bothSkipped) && Instant.now().isBefore(deadline)) {
            Api.sleep(Duration.ofMillis(500));
            skippedSince = linesSince(skippedBefore, skipped);
        }
        assertEquals(bothSkipped, skippedSince, "each worker logged and skipped both poison records");
    }

    /** Per service, the lines holding the text that its log gained since the counts given. */
    private static Map<String, Long> linesSince(Map<String, Long> before, String text) {
        Map<String, Long> since = new LinkedHashMap<>();
        before.forEach((service, lines) -> since.put(service, logLines(service, text) - lines));
        return since;
    }

    /** The trial as the worker itself recorded it when it ended (GET /api/trials of that worker). */
    private static JsonNode awaitWorkerTrial(String instance, String trialId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode trial : Api.get(Stack.url(instance) + "/api/trials").json()) {
                if (trial.path("trialId").asText().equals(trialId)) {
                    return trial;
                }
            }
            Api.sleep(Duration.ofMillis(300));
        }
        throw new AssertionError(instance + " did not end trial " + trialId + " within " + timeout);
    }

    @Test
    @Order(5)
    void theSameMessagesTwiceAndOutOfOrderChangeNothing() {
        UUID runId = submit(spec("duplicates", 2, 3, 1, true));
        Api.awaitRun(runId, RUN_TIMEOUT, r -> Api.finished(r) && r.path("judging").path("requested").asInt() > 0
                && r.path("judging").path("scored").asInt() == r.path("judging").path("requested").asInt(), "finish with every answer scored");
        JsonNode before = Api.run(runId);
        Ledger ledgerBefore = Ledger.of(List.of(runId));
        long scoresBefore = Ledger.scores(runId);
        String id = runId.toString();

        List<ConsumerRecord<String, String>> stored = Broker.readAll(r -> r.value() != null && r.value().contains(id),
                Topics.RESULTS, Topics.EVENTS, Topics.SCORES);
        List<ConsumerRecord<String, String>> judged = Broker.readAll(r -> r.value() != null && r.value().contains(id), Topics.JUDGE);
        List<ConsumerRecord<String, String>> jobs = Broker.readAll(r -> r.value() != null && r.value().contains(id), Topics.jobs("cpu"));
        assertTrue(stored.size() > 4 && !judged.isEmpty() && jobs.size() == 2, stored.size() + " results, events and scores; " + judged.size()
                + " judge requests; " + jobs.size() + " jobs");
        List<ConsumerRecord<String, String>> reversed = new ArrayList<>(stored);
        Collections.reverse(reversed);
        List<ConsumerRecord<String, String>> twiceOutOfOrder = new ArrayList<>(reversed);
        twiceOutOfOrder.addAll(reversed);
        Broker.sendAll(twiceOutOfOrder);
        List<ConsumerRecord<String, String>> judgeAgain = new ArrayList<>(judged);
        Collections.reverse(judgeAgain);
        Broker.sendAll(judgeAgain);
        Broker.sendAll(FULL ? jobs : jobs.subList(0, 1));

        // The job runs again on a worker, the judge answers again from its cache; then everything is ingested.
        Broker.awaitCaughtUp("optbench-worker-cpu", RUN_TIMEOUT, Topics.jobs("cpu"));
        Broker.awaitCaughtUp("optbench-judge", RUN_TIMEOUT, Topics.JUDGE);
        Broker.awaitCaughtUp("optbench-orchestrator", RUN_TIMEOUT, Topics.RESULTS, Topics.EVENTS, Topics.SCORES);
        JsonNode after = Api.run(runId);
        Ledger ledger = Ledger.of(List.of(runId));
        Report.scenario("same messages twice, out of order", ledger, null);

        assertExactlyOnce("duplicates", ledger);
        assertEquals(ledgerBefore, ledger);
        assertEquals(scoresBefore, Ledger.scores(runId), "scores");
        assertEquals(before.path("trials"), after.path("trials"), "trials");
        assertEquals(before.path("summaries"), after.path("summaries"), "trial summaries");
        assertEquals(before.path("judging"), after.path("judging"), "judging");
    }

    // ---- process faults

    @Test
    @Order(6)
    void aWorkerKilledMidTrialHasItsTrialRedoneElsewhereAndStoredOnce() throws Exception {
        for (int i = 0; i < REPEATS; i++) {
            ScalingTest drill = ScalingTest.run();
            RUNS.add(drill.runId());
            Report.workerKill(drill.output());
            Ledger ledger = Ledger.of(List.of(drill.runId()));
            Report.scenario("kill -9 a worker mid-trial", ledger, drill.recovery());
            Stack.start(drill.killedInstance());
            assertEquals(0, drill.exit(), "deploy/local/scaling-test.sh:\n" + drill.output());
            assertExactlyOnce("worker killed", ledger);
        }
    }

    @Test
    @Order(7)
    void aLlamaServerKilledMidRequestFailsItsTrialWithTheReason() {
        for (int i = 0; i < REPEATS; i++) {
            // 48 requests a trial (a few seconds), so the kill lands during a request rather than after the last one.
            UUID runId = submit(spec("llama-server-killed", 2, 12, 4, false));
            JsonNode victim = awaitTrialInProgress(runId);
            String instance = instanceOf(victim.path("workerId").asText());
            List<ProcessHandle> servers = Stack.pid(instance).flatMap(ProcessHandle::of).map(h -> h.children()
                    .filter(c -> c.info().command().orElse("").endsWith("llama-server")).toList()).orElse(List.of());
            assertEquals(1, servers.size(), "the llama-server of " + instance);
            List<String> listening = ListeningSockets.of(servers.getFirst().pid());
            assertTrue(listening.stream().allMatch(ListeningSockets::loopback), "a trial's llama-server listens on " + listening);
            assertFalse(environmentOf(servers.getFirst().pid()).contains(Stack.apiKey()), "a trial's llama-server holds the API key");
            Instant killed = Instant.now();
            Stack.kill9(servers.getFirst().pid());
            // The run's progress reaches the API a little late: the server killed is that of the trial the worker runs
            // now, which may be the next one.
            JsonNode failed = Api.awaitRun(runId, RUN_TIMEOUT, r -> failedTrialId(r) != null, "fail a trial");
            String trialId = failedTrialId(failed);
            Duration recovery = Duration.between(killed, Instant.now());
            Api.awaitFinished(runId, RUN_TIMEOUT);
            Ledger ledger = Ledger.of(List.of(runId));
            Report.scenario("kill -9 the llama-server mid-request", ledger, recovery);
            String reason = trial(failed, trialId).path("reason").asText();
            assertTrue(reason.contains("signal") || reason.contains("killed") || reason.contains("exited"), "reason: " + reason);
            assertEquals(1, ledger.failed(), ledger.toString());
            assertExactlyOnce("llama-server killed", ledger);
        }
    }

    @Test
    @Order(8)
    void aKafkaBrokerRestartedMidRunLosesNothing() {
        for (int i = 0; i < REPEATS; i++) {
            UUID runId = submit(spec("kafka-restart", 3, 4, 2, false));
            awaitRunUnderWay(runId);
            Instant fault = Instant.now();
            Stack.kill9(Stack.requirePid("kafka"));
            Api.sleep(Duration.ofSeconds(2));
            Stack.start("kafka");
            Api.awaitFinished(runId, RUN_TIMEOUT);
            Duration recovery = Duration.between(fault, Instant.now());
            Ledger ledger = Ledger.of(List.of(runId));
            Report.scenario("kill -9 and restart the Kafka broker mid-run", ledger, recovery);
            assertExactlyOnce("Kafka restarted", ledger);
            assertAllLive();
        }
    }

    /** Full form only: longer than a worker waits for Kafka to take a trial's results. */
    @Test
    @Order(9)
    void aKafkaBrokerAwayForMinutesLosesNothing() {
        Assumptions.assumeTrue(FULL, "the full form only (reliability/run.sh)");
        UUID runId = submit(spec("kafka-away", 3, 4, 2, false));
        awaitRunUnderWay(runId);
        Instant fault = Instant.now();
        Stack.stop("kafka");
        Api.sleep(Duration.ofSeconds(90));
        Stack.start("kafka");
        Api.awaitFinished(runId, RUN_TIMEOUT);
        Duration recovery = Duration.between(fault, Instant.now());
        Ledger ledger = Ledger.of(List.of(runId));
        Report.scenario("stop the Kafka broker for 90 s mid-run", ledger, recovery);
        assertExactlyOnce("Kafka away for 90 s", ledger);
        assertAllLive();
    }

    @Test
    @Order(10)
    void aPostgresRestartDuringIngestionLosesNothing() {
        for (int i = 0; i < REPEATS; i++) {
            UUID runId = submit(spec("postgres-restart", 3, 4, 2, false));
            awaitRunUnderWay(runId);
            long retriesBefore = logLines("orchestrator", "the database is not reachable");
            Instant fault = Instant.now();
            Stack.stop("postgres");
            // Longer than the retries ingestion used to give up after.
            Api.sleep(Duration.ofSeconds(20));
            Stack.start("postgres");
            Api.awaitFinished(runId, RUN_TIMEOUT);
            Duration recovery = Duration.between(fault, Instant.now());
            Ledger ledger = Ledger.of(List.of(runId));
            Report.scenario("stop PostgreSQL 20 s during ingestion", ledger, recovery);
            assertTrue(logLines("orchestrator", "the database is not reachable") > retriesBefore,
                    "results arrived while PostgreSQL was away, and ingestion waited for it");
            assertExactlyOnce("PostgreSQL restarted", ledger);
            assertAllLive();
        }
    }

    @Test
    @Order(11)
    void aJudgeStoppedForARunScoresItOnceItIsBack() {
        for (String part : FULL ? List.of("judge", "judge-llm") : List.of("judge")) {
            Stack.stop(part);
            UUID runId = submit(spec("judge-stopped-" + part, 2, 3, 1, true));
            JsonNode finished = Api.awaitFinished(runId, RUN_TIMEOUT);
            int requested = finished.path("judging").path("requested").asInt();
            assertTrue(requested > 0, "judging planned: " + finished.path("judging"));
            Api.sleep(Duration.ofSeconds(5));
            assertEquals(0, Ledger.scoresFromTheModel(runId), "no scores that need the judge model while the " + part + " is stopped");
            Instant back = Instant.now();
            Stack.start(part);
            Api.awaitRun(runId, RUN_TIMEOUT, r -> r.path("judging").path("scored").asInt() == requested, "have every answer scored");
            Duration recovery = Duration.between(back, Instant.now());
            Ledger ledger = Ledger.of(List.of(runId));
            Report.scenario("stop the " + (part.equals("judge") ? "judge service" : "judge model") + " for a run", ledger, recovery);
            assertExactlyOnce("judge stopped", ledger);
        }
    }

    @Test
    @Order(12)
    void anOrchestratorRestartedWhileDispatchingRunsEveryTrialOnce() throws Exception {
        for (int i = 0; i < REPEATS; i++) {
            int trials = FULL ? 12 : 4;
            long kafka = Stack.requirePid("kafka");
            UUID runId;
            long unpublished;
            Instant fault;
            // The relay publishes a run's jobs within milliseconds of the commit (it is woken by it and loops at once
            // after a full batch), too soon for a kill to land in between. With the broker paused (SIGSTOP) the relay
            // sends the jobs and waits for Kafka's acknowledgement, holding their outbox rows: the kill lands mid-dispatch.
            Stack.signal(kafka, "STOP");
            try {
                runId = submit(spec("orchestrator-restart", trials, 2, 1, false));
                awaitRelayHoldingOutboxRows(Duration.ofSeconds(30));
                fault = Instant.now();
                Stack.kill9(Stack.requirePid("orchestrator"));
                unpublished = unpublishedJobs(runId);
            } finally {
                Stack.signal(kafka, "CONT");
            }
            Stack.start("orchestrator");
            Api.awaitFinished(runId, RUN_TIMEOUT);
            Duration recovery = Duration.between(fault, Instant.now());
            Ledger ledger = Ledger.of(List.of(runId));
            Report.scenario("kill -9 and restart the orchestrator while dispatching", ledger, recovery);
            assertEquals(trials, unpublished, "the run's jobs not yet marked published in the outbox when the orchestrator was killed");
            assertExactlyOnce("orchestrator restarted", ledger);
        }
    }

    /**
     * Waits until a transaction holds outbox rows locked (SELECT ... FOR UPDATE, RowShareLock on the table) and is
     * between statements: the relay, sending a batch and waiting for Kafka's acknowledgement.
     */
    private static void awaitRelayHoldingOutboxRows(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        try (var db = Stack.database(); var select = db.prepareStatement("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE c.relname = 'outbox' AND l.mode = 'RowShareLock' AND l.granted "
                + "AND a.state = 'idle in transaction'")) {
            while (true) {
                try (var rs = select.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the outbox relay did not take the run's jobs within " + timeout);
                }
                Api.sleep(Duration.ofMillis(50));
            }
        }
    }

    /** The run's jobs in the outbox that no relay has marked published (nor refused). */
    private static long unpublishedJobs(UUID runId) throws Exception {
        try (var db = Stack.database(); var select = db.prepareStatement("SELECT count(*) FROM outbox WHERE run_id = ? AND topic LIKE ? "
                + "AND published_at IS NULL AND refused_at IS NULL")) {
            select.setObject(1, runId);
            select.setString(2, Topics.JOBS_PREFIX + "%");
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---- load

    @Test
    @Order(13)
    void aHundredSmallRunsSubmittedAtOnceAllComplete() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(LOAD_RUNS);
        List<Future<long[]>> submissions = new ArrayList<>();
        for (int i = 0; i < LOAD_RUNS; i++) {
            String spec = spec("load-" + i, 1, 1, 1, false);
            submissions.add(clients.submit(() -> {
                long started = System.nanoTime();
                UUID id = submit(spec);
                return new long[] {System.nanoTime() - started, id.getMostSignificantBits(), id.getLeastSignificantBits()};
            }));
        }
        List<Double> latencies = new ArrayList<>();
        List<UUID> runs = new ArrayList<>();
        for (Future<long[]> submission : submissions) {
            long[] result = submission.get(2, TimeUnit.MINUTES);
            latencies.add(result[0] / 1e6);
            runs.add(new UUID(result[1], result[2]));
        }
        clients.shutdown();
        Instant submitted = Instant.now();
        for (UUID run : runs) {
            Api.awaitFinished(run, Duration.ofMinutes(FULL ? 40 : 10));
        }
        Duration drained = Duration.between(submitted, Instant.now());
        Ledger ledger = Ledger.of(runs);
        Report.scenario("load: " + LOAD_RUNS + " runs submitted at once", ledger, null);
        Collections.sort(latencies);
        String metrics = Api.get(Api.orchestrator() + "/q/metrics").body();
        Report.load(String.format(Locale.ROOT, "runs\tsubmit p50 (ms)\tsubmit p95 (ms)\tsubmit p99 (ms)\tsubmit max (ms)\tall done after (s)"
                        + "\tingest lag p50 (s)\tingest lag p95 (s)\tingest lag max (s)\n%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%s\t%s\n",
                LOAD_RUNS, percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99), latencies.getLast(),
                drained.toMillis() / 1000.0, metric(metrics, "quantile=\"0.5\""), metric(metrics, "quantile=\"0.95\""), maxLag(metrics)));
        assertExactlyOnce("load", ledger);
    }

    /** Nearest rank. */
    private static double percentile(List<Double> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static String metric(String metrics, String quantile) {
        Matcher matcher = Pattern.compile("(?m)^optbench_ingest_lag_seconds\\{[^}]*" + Pattern.quote(quantile) + "[^}]*topic=\"bench.results\"[^}]*} (\\S+)$"
                + "|^optbench_ingest_lag_seconds\\{[^}]*topic=\"bench.results\"[^}]*" + Pattern.quote(quantile) + "[^}]*} (\\S+)$").matcher(metrics);
        if (!matcher.find()) {
            return "-";
        }
        String value = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        return String.format(Locale.ROOT, "%.2f", Double.parseDouble(value));
    }

    private static String maxLag(String metrics) {
        Matcher matcher = Pattern.compile("(?m)^optbench_ingest_lag_seconds_max\\{[^}]*topic=\"bench.results\"[^}]*} (\\S+)$").matcher(metrics);
        return matcher.find() ? String.format(Locale.ROOT, "%.2f", Double.parseDouble(matcher.group(1))) : "-";
    }

    // ---- the key

    @Test
    @Order(14)
    void theApiKeyAppearsInNoLogAndNoResponse() throws IOException {
        String key = Stack.apiKey();
        assertTrue(key != null && key.length() >= 20, "the launcher made a key");
        // Every read endpoint of every service, with the ids of a real run where it takes them.
        UUID runId = RUNS.isEmpty() ? UUID.randomUUID() : RUNS.getFirst();
        JsonNode run = Api.run(runId);
        String trialId = run.path("trials").path(0).path("id").asText(UUID.randomUUID().toString());
        List<String> services = new ArrayList<>(List.of("orchestrator", "judge", "viz-service"));
        services.addAll(Stack.workers());
        for (String service : services) {
            JsonNode paths = Api.get(Stack.url(service) + "/q/openapi?format=json").json().path("paths");
            for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
                String path = it.next();
                if (paths.path(path).has("get")) {
                    Api.get(Stack.url(service) + path.replace("{trialId}", trialId).replace("{runId}", runId.toString())
                            .replaceAll("\\{id}", runId.toString()).replaceAll("\\{[^}]+}", "x"));
                }
            }
            for (String quarkus : List.of("/q/health", "/q/metrics", "/q/openapi")) {
                Api.get(Stack.url(service) + quarkus);
            }
        }
        assertEquals(List.of(), Api.leaks(), "responses that held the API key");

        List<String> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(Stack.HOME)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("config.env") || name.endsWith(".gguf") || file.toString().contains("/postgres/data/")
                        || file.toString().contains("/kafka/data/") || Files.size(file) > 50_000_000) {
                    continue;
                }
                if (contains(file, key)) {
                    files.add(Stack.HOME.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), files, "files under " + Stack.HOME + " that hold the API key (config.env aside)");
    }

    private static String environmentOf(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the environment of " + pid, e);
        }
    }

    private static boolean contains(Path file, String text) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertAllLive() {
        List<String> services = new ArrayList<>(List.of("orchestrator", "judge", "viz-service"));
        services.addAll(Stack.workers());
        for (String service : services) {
            Api.Reply live = Api.get(Stack.url(service) + "/q/health/live");
            assertEquals(200, live.status(), service + " is live: " + live.body());
        }
    }

    private static JsonNode trial(JsonNode run, String trialId) {
        for (JsonNode trial : run.path("trials")) {
            if (trial.path("id").asText().equals(trialId)) {
                return trial;
            }
        }
        throw new AssertionError("no trial " + trialId);
    }

    private static String failedTrialId(JsonNode run) {
        for (JsonNode trial : run.path("trials")) {
            if (trial.path("status").asText().equals("FAILED")) {
                return trial.path("id").asText();
            }
        }
        return null;
    }
}
