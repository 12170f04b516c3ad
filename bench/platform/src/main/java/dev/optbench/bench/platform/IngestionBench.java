package dev.optbench.bench.platform;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.Topics;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Section 4: a run of {@code variants} variants × {@code samples} samples submitted to the stack's orchestrator on a
 * pool no worker serves, whose results the benchmark then publishes on {@code bench.results} as workers would
 * (generated figures: this measures the orchestrator, not llama.cpp). Ingestion time is first send → run COMPLETED
 * (every sample stored, every trial summarised); the lag is the orchestrator consumer group's backlog on
 * {@code bench.results}, sampled every 200 ms, and its own {@code optbench_ingest_lag_seconds}.
 */
final class IngestionBench {
    static final String GROUP = System.getenv().getOrDefault("OPTBENCH_KAFKA_GROUP", "optbench-orchestrator");
    private static final int CONVERSATIONS = 10;
    private static final int ROUNDS = 5;
    private static final Pattern LAG = Pattern.compile(
            "optbench_ingest_lag_seconds\\{[^}]*quantile=\"0\\.95\"[^}]*topic=\"bench\\.results\"[^}]*}\\s+(\\S+)"
                    + "|optbench_ingest_lag_seconds\\{[^}]*topic=\"bench\\.results\"[^}]*quantile=\"0\\.95\"[^}]*}\\s+(\\S+)");

    private final Stack stack;
    private final int variants;
    private final int samplesPerTrial;
    private final int chunkSize;

    IngestionBench(Stack stack, int variants, int samplesPerTrial, int chunkSize) {
        if (samplesPerTrial % (CONVERSATIONS * ROUNDS) != 0) {
            throw new IllegalArgumentException("--samples must be a multiple of " + CONVERSATIONS * ROUNDS);
        }
        this.stack = stack;
        this.variants = variants;
        this.samplesPerTrial = samplesPerTrial;
        this.chunkSize = chunkSize;
    }

    /** What one repetition measured; the run stays stored for the queries (delete it with {@link Runs#delete}). */
    record Repetition(UUID runId, String pool, long samples, int messages, double samplesPerSecond, double drainMillis,
                      long maxBacklogMessages, double lagP95Seconds, double orchestratorCpuSeconds, double postgresCpuSeconds,
                      double kafkaCpuSeconds) {
    }

    Repetition repeat() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap))) {
            awaitNoBacklog(admin);
            String pool = "bench-" + UUID.randomUUID();
            UUID runId = submit(pool);
            List<UUID> trials = new ArrayList<>();
            stack.getJson(stack.orchestrator("/api/runs/" + runId)).get("trials")
                    .forEach(trial -> trials.add(UUID.fromString(trial.get("id").asText())));
            GeneratedLoad load = new GeneratedLoad(42);
            List<List<String>> payloads = new ArrayList<>();
            long samples = 0;
            for (UUID trial : trials) {
                List<String> messages = new ArrayList<>();
                List<SampleChunk> chunks = load.chunks(runId, trial, CONVERSATIONS, ROUNDS, samplesPerTrial / (CONVERSATIONS * ROUNDS), chunkSize);
                int trialSamples = chunks.stream().mapToInt(c -> c.samples().size()).sum();
                chunks.forEach(chunk -> messages.add(Messages.toJson(chunk)));
                messages.add(Messages.toJson(load.finished(runId, trial, trialSamples)));
                samples += trialSamples;
                payloads.add(messages);
            }
            int messageCount = payloads.stream().mapToInt(List::size).sum();
            ServiceProcess orchestrator = stack.part("orchestrator");
            ServiceProcess postgres = stack.part("postgres");
            ServiceProcess kafka = stack.part("kafka");
            double[] cpuBefore = {orchestrator.cpuSeconds(), postgres.cpuSeconds(), kafka.cpuSeconds()};
            AtomicLong maxBacklog = new AtomicLong();
            Thread backlog = Thread.ofPlatform().daemon().start(() -> watchBacklog(admin, maxBacklog));
            long started = System.nanoTime();
            long sent;
            Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap, ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                List<Future<RecordMetadata>> sends = new ArrayList<>(messageCount);
                for (int i = 0; i < trials.size(); i++) {
                    for (String message : payloads.get(i)) {
                        sends.add(producer.send(new ProducerRecord<>(Topics.RESULTS, trials.get(i).toString(), message)));
                    }
                }
                producer.flush();
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
                sent = System.nanoTime();
            }
            long done = awaitCompleted(runId);
            backlog.interrupt();
            backlog.join();
            double[] cpuAfter = {orchestrator.cpuSeconds(), postgres.cpuSeconds(), kafka.cpuSeconds()};
            check(runId, samples, trials.size());
            double seconds = (done - started) / 1e9;
            double per100k = 100_000.0 / samples;
            admin.deleteTopics(List.of(Topics.jobs(pool))).all().get();
            return new Repetition(runId, pool, samples, messageCount, samples / seconds, (done - sent) / 1e6, maxBacklog.get(),
                    lagP95(), (cpuAfter[0] - cpuBefore[0]) * per100k, (cpuAfter[1] - cpuBefore[1]) * per100k, (cpuAfter[2] - cpuBefore[2]) * per100k);
        }
    }

    static List<Figure> figures(List<Repetition> reps, int variants, int samplesPerTrial) {
        String run = variants + " variants × " + samplesPerTrial + " samples";
        return List.of(
                Figure.goal(4, "samples stored per second through Kafka into PostgreSQL (" + run + "; first send → run COMPLETED, every trial summarised)",
                        "samples/s", "≥ 20,000/s", v -> v >= 20_000, reps.stream().mapToDouble(Repetition::samplesPerSecond).toArray()),
                Figure.info(4, "lag under that load: the orchestrator's `optbench_ingest_lag_seconds` p95 (Kafka timestamp → committed)", "s",
                        reps.stream().mapToDouble(Repetition::lagP95Seconds).toArray()),
                Figure.info(4, "lag under that load: most messages behind on bench.results (consumer group backlog, sampled every 200 ms)", "messages",
                        reps.stream().mapToDouble(Repetition::maxBacklogMessages).toArray()),
                Figure.info(4, "last message sent → run COMPLETED", "ms", reps.stream().mapToDouble(Repetition::drainMillis).toArray()),
                Figure.info(4, "samples stored per CPU-second of orchestrator + PostgreSQL + Kafka (what the load of other programs does not move)",
                        "samples/s", reps.stream().mapToDouble(r -> 100_000 / (r.orchestratorCpuSeconds() + r.postgresCpuSeconds() + r.kafkaCpuSeconds())).toArray()),
                Figure.info(4, "CPU time per 100,000 samples: orchestrator", "s", reps.stream().mapToDouble(Repetition::orchestratorCpuSeconds).toArray()),
                Figure.info(4, "CPU time per 100,000 samples: PostgreSQL (all backends)", "s", reps.stream().mapToDouble(Repetition::postgresCpuSeconds).toArray()),
                Figure.info(4, "CPU time per 100,000 samples: Kafka broker", "s", reps.stream().mapToDouble(Repetition::kafkaCpuSeconds).toArray()));
    }

    private UUID submit(String pool) throws IOException, InterruptedException {
        String listed = IntStream.range(1, variants)
                .mapToObj(i -> "{\"name\": \"v" + i + "\", \"flags\": {\"--threads\": " + (i % 16 + 1) + ", \"--ubatch-size\": " + i + "}}")
                .collect(Collectors.joining(", "));
        String conversations = IntStream.range(0, CONVERSATIONS)
                .mapToObj(c -> IntStream.range(0, ROUNDS).mapToObj(r -> "\"Conversation " + c + ", turn " + r + ": go on.\"")
                        .collect(Collectors.joining(", ", "[", "]")))
                .collect(Collectors.joining(", ", "[", "]"));
        String spec = """
                {"name": "bench %d variants", "pool": "%s", "models": ["synthetic:tiny"], "variants": [%s],
                 "workload": {"conversations": %s, "repetitions": %d}}"""
                .formatted(variants, pool, listed, conversations, samplesPerTrial / (CONVERSATIONS * ROUNDS));
        return UUID.fromString(stack.submit(spec).get("id").asText());
    }

    private long awaitCompleted(UUID runId) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        try (Connection connection = stack.database();
             PreparedStatement status = connection.prepareStatement("SELECT status FROM run WHERE id = ?")) {
            status.setObject(1, runId);
            while (true) {
                try (ResultSet rs = status.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("COMPLETED")) {
                        return System.nanoTime();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " was not COMPLETED within 30 minutes");
                }
                Thread.sleep(20);
            }
        }
    }

    private void check(UUID runId, long samples, int trials) throws SQLException {
        try (Connection connection = stack.database();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT (SELECT count(*) FROM sample WHERE run_id = ?), (SELECT count(*) FROM trial_summary WHERE run_id = ?)")) {
            count.setObject(1, runId);
            count.setObject(2, runId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != samples || rs.getLong(2) != trials) {
                    throw new IllegalStateException("the run completed with " + rs.getLong(1) + " of " + samples + " samples and "
                            + rs.getLong(2) + " of " + trials + " summaries");
                }
            }
        }
    }

    private double lagP95() throws IOException, InterruptedException {
        String metrics = stack.http.send(HttpRequest.newBuilder(stack.orchestrator("/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = LAG.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1) != null ? m.group(1) : m.group(2)) : Double.NaN;
    }

    private void watchBacklog(Admin admin, AtomicLong max) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                max.accumulateAndGet(backlog(admin), Math::max);
                Thread.sleep(200);
            }
        } catch (InterruptedException | ExecutionException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Messages on bench.results that the orchestrator's consumer group has not committed yet. */
    private static long backlog(Admin admin) throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.RESULTS)).allTopicNames().get().get(Topics.RESULTS).partitions().stream()
                .map(p -> new TopicPartition(Topics.RESULTS, p.partition())).toList();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
        var starts = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get();
        long lag = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            long position = offset != null ? offset.offset() : starts.get(partition).offset();
            lag += Math.max(0, ends.get(partition).offset() - position);
        }
        return lag;
    }

    /** Waits until the orchestrator has read everything already on bench.results, so only this run's load is timed. */
    private static void awaitNoBacklog(Admin admin) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long lag;
        while ((lag = backlog(admin)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the orchestrator still has " + lag + " older record(s) to read on " + Topics.RESULTS);
            }
            Thread.sleep(500);
        }
    }
}
