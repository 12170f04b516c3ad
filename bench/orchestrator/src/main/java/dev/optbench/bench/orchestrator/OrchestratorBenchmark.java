package dev.optbench.bench.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.stats.Statistics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures the orchestrator on a run of {@code variants} variants × {@code samples} samples: how fast the samples
 * a worker publishes on bench.results reach PostgreSQL (first send → run COMPLETED, every sample stored, every
 * trial summarised), and how long {@code GET /api/runs/{id}} takes for that run. It starts the orchestrator's jar
 * with a database of its own ({@code optbench_bench}, on the same server) and a consumer group of its own, and
 * plays the worker's part with generated figures. Usage: {@code bench/orchestrator/run.sh [--variants=100]
 * [--samples=1000] [--chunk=100] [--requests=200]}.
 */
public final class OrchestratorBenchmark {
    private static final String GROUP = "optbench-bench";
    private static final String BENCH_DATABASE = "optbench_bench";
    private static final int CONVERSATIONS = 10;
    private static final int ROUNDS = 5;

    private final Map<String, String> options;
    private final String bootstrap = env("OPTBENCH_KAFKA_BOOTSTRAP", "127.0.0.1:29092");
    private final String jdbcUrl = env("OPTBENCH_DB_URL", "jdbc:postgresql://127.0.0.1:25432/optbench");
    private final String dbUser = env("OPTBENCH_DB_USER", "optbench");
    private final String dbPassword = env("OPTBENCH_DB_PASSWORD", "optbench-test");
    private final String apiKey = UUID.randomUUID().toString();
    private final String benchUrl = jdbcUrl.replaceFirst("/[^/?]+(\\?.*)?$", "/" + BENCH_DATABASE + "$1");
    private final HttpClient http = HttpClient.newHttpClient();

    private OrchestratorBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length == 2 ? pair[1] : "true");
        }
        new OrchestratorBenchmark(options).run();
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int variants = option("variants", 100);
        int samplesPerTrial = option("samples", 1000);
        int chunkSize = option("chunk", 100);
        int requests = option("requests", 200);
        int repetitions = samplesPerTrial / (CONVERSATIONS * ROUNDS);
        if (repetitions * CONVERSATIONS * ROUNDS != samplesPerTrial) {
            throw new IllegalArgumentException("--samples must be a multiple of " + CONVERSATIONS * ROUNDS);
        }
        ensureBenchDatabase();
        Path jar = Path.of(options.getOrDefault("jar", "orchestrator/target/quarkus-app/quarkus-run.jar"));
        Path log = Files.createTempFile("optbench-bench-orchestrator-", ".log");
        Map<String, String> environment = Map.of("OPTBENCH_KAFKA_BOOTSTRAP", bootstrap, "OPTBENCH_DB_URL", benchUrl,
                "OPTBENCH_DB_USER", dbUser, "OPTBENCH_DB_PASSWORD", dbPassword, "OPTBENCH_API_KEY", apiKey,
                "OPTBENCH_KAFKA_GROUP", GROUP);
        System.out.printf("starting the orchestrator (%s, log %s)%n", jar, log);
        try (OrchestratorProcess orchestrator = OrchestratorProcess.start(jar, option("port", 18080), environment, log, Duration.ofMinutes(3));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            awaitNoBacklog(admin);
            String pool = "bench-" + UUID.randomUUID();
            UUID runId = submit(orchestrator, pool, variants, repetitions);
            try {
                List<UUID> trials = trialIds(orchestrator, runId);
                Result ingestion = ingest(runId, trials, repetitions, chunkSize);
                Distribution latency = getLatency(orchestrator, runId, requests);
                long bytes = http.send(get(orchestrator.uri("/api/runs/" + runId)), HttpResponse.BodyHandlers.ofByteArray()).body().length;
                print(variants, samplesPerTrial, chunkSize, requests, ingestion, latency, bytes);
            } finally {
                deleteRun(runId);
                admin.deleteTopics(List.of(Topics.jobs(pool))).all().get();
            }
        }
    }

    private record Result(long samples, int messages, double sendSeconds, double ingestSeconds) {
    }

    /** Creates the benchmark's own database on the same server when it is missing; the orchestrator migrates it. */
    private void ensureBenchDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, BENCH_DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    connection.createStatement().execute("CREATE DATABASE " + BENCH_DATABASE);
                }
            }
        }
    }

    /** Waits until the benchmark's consumer group has read everything already on bench.results (other tests' records). */
    private static void awaitNoBacklog(Admin admin) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            var partitions = admin.describeTopics(List.of(Topics.RESULTS)).allTopicNames().get().get(Topics.RESULTS).partitions().stream()
                    .map(p -> new TopicPartition(Topics.RESULTS, p.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get();
            long lag = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                long position = offset != null ? offset.offset() : starts.get(partition).offset();
                lag += Math.max(0, ends.get(partition).offset() - position);
            }
            if (lag == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the orchestrator still has " + lag + " old record(s) to read on " + Topics.RESULTS);
            }
            System.out.printf("waiting for the orchestrator to read %d older record(s) on %s%n", lag, Topics.RESULTS);
            Thread.sleep(2_000);
        }
    }

    private UUID submit(OrchestratorProcess orchestrator, String pool, int variants, int repetitions) throws IOException, InterruptedException {
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
                .formatted(variants, pool, listed, conversations, repetitions);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(orchestrator.uri("/api/runs"))
                .header("Content-Type", "application/json").header("X-API-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("submitting the run failed: " + response.statusCode() + " " + response.body());
        }
        return UUID.fromString(Messages.mapper().readTree(response.body()).get("id").asText());
    }

    private List<UUID> trialIds(OrchestratorProcess orchestrator, UUID runId) throws IOException, InterruptedException {
        JsonNode run = Messages.mapper().readTree(http.send(get(orchestrator.uri("/api/runs/" + runId)), HttpResponse.BodyHandlers.ofString()).body());
        List<UUID> trials = new ArrayList<>();
        run.get("trials").forEach(trial -> trials.add(UUID.fromString(trial.get("id").asText())));
        return trials;
    }

    /** Publishes every trial's chunks and end as a worker does, then waits until the run is COMPLETED. */
    private Result ingest(UUID runId, List<UUID> trials, int repetitions, int chunkSize) throws Exception {
        GeneratedLoad load = new GeneratedLoad(42);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        List<List<String>> payloads = new ArrayList<>();
        long samples = 0;
        for (UUID trial : trials) {
            List<String> messages = new ArrayList<>();
            List<SampleChunk> chunks = load.chunks(runId, trial, CONVERSATIONS, ROUNDS, repetitions, chunkSize);
            int trialSamples = chunks.stream().mapToInt(c -> c.samples().size()).sum();
            chunks.forEach(chunk -> messages.add(Messages.toJson(chunk)));
            messages.add(Messages.toJson(load.finished(runId, trial, trialSamples)));
            samples += trialSamples;
            payloads.add(messages);
        }
        int messageCount = payloads.stream().mapToInt(List::size).sum();
        long started;
        long sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            started = System.nanoTime();
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
        try (Connection connection = DriverManager.getConnection(benchUrl, dbUser, dbPassword)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (!"COMPLETED".equals(scalar(connection, "SELECT status FROM run WHERE id = ?", runId))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the run was not COMPLETED within 30 minutes");
                }
                Thread.sleep(50);
            }
            long done = System.nanoTime();
            long stored = Long.parseLong(scalar(connection, "SELECT count(*) FROM sample WHERE run_id = ?", runId));
            long summaries = Long.parseLong(scalar(connection, "SELECT count(*) FROM trial_summary WHERE run_id = ?", runId));
            if (stored != samples || summaries != trials.size()) {
                throw new IllegalStateException("the run completed with " + stored + " of " + samples + " samples and "
                        + summaries + " of " + trials.size() + " summaries");
            }
            return new Result(samples, messageCount, (sent - started) / 1e9, (done - started) / 1e9);
        }
    }

    private Distribution getLatency(OrchestratorProcess orchestrator, UUID runId, int requests) throws IOException, InterruptedException {
        HttpRequest request = get(orchestrator.uri("/api/runs/" + runId));
        for (int i = 0; i < 20; i++) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/runs/" + runId + " answered " + response.statusCode());
            }
        }
        return Statistics.describe(millis);
    }

    private static void print(int variants, int samplesPerTrial, int chunkSize, int requests, Result ingestion, Distribution latency, long bytes) {
        System.out.println();
        System.out.printf("OptBench orchestrator benchmark: %d variants × %d samples = %,d samples in %,d messages (chunks of %d), %d cores%n",
                variants, samplesPerTrial, ingestion.samples(), ingestion.messages(), chunkSize, Runtime.getRuntime().availableProcessors());
        System.out.println("| measure | value |");
        System.out.println("| --- | --- |");
        System.out.printf(Locale.ROOT, "| producing to bench.results | %.1f s (%,.0f samples/s) |%n", ingestion.sendSeconds(), ingestion.samples() / ingestion.sendSeconds());
        System.out.printf(Locale.ROOT, "| ingestion: first send → run COMPLETED (every sample stored, every trial summarised) | %.1f s |%n", ingestion.ingestSeconds());
        System.out.printf(Locale.ROOT, "| ingestion rate | %,.0f samples/s |%n", ingestion.samples() / ingestion.ingestSeconds());
        System.out.printf(Locale.ROOT, "| GET /api/runs/{id} (%d requests, %,d bytes each) | p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms |%n",
                requests, bytes, latency.p50(), latency.p95(), latency.p99(), latency.max());
    }

    private static String scalar(Connection connection, String sql, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void deleteRun(UUID runId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(benchUrl, dbUser, dbPassword);
             PreparedStatement outbox = connection.prepareStatement("DELETE FROM outbox WHERE run_id = ?");
             PreparedStatement run = connection.prepareStatement("DELETE FROM run WHERE id = ?")) {
            outbox.setObject(1, runId);
            outbox.executeUpdate();
            run.setObject(1, runId);
            run.executeUpdate();
        }
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
