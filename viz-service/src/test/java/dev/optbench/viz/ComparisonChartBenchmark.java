package dev.optbench.viz;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.spec.ModelRef;
import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.RoundFigure;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.viz.charts.ChartKind;
import dev.optbench.viz.charts.ChartOptions;
import dev.optbench.viz.charts.ChartRequest;
import dev.optbench.viz.charts.ChartService;
import dev.optbench.viz.charts.FigureWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;

/**
 * Benchmark, not a test: the comparison chart of a stored run of 100 variants × 1,000 samples, through HTTP
 * against the real database, as PNG at 150 and 300 dpi and as SVG. The samples are stored; their summaries
 * are computed from them with the contracts' statistics, as the orchestrator stores them. Run with
 * {@code bench/viz-comparison-chart.sh}; it prints median and p95 and writes them to
 * {@code viz-service/target/bench/comparison-chart.txt}. It asserts nothing about time.
 */
@QuarkusTest
@WithTestResource(TestDatabase.class)
@EnabledIfSystemProperty(named = "optbench.bench", matches = "true")
class ComparisonChartBenchmark {
    private static final int VARIANTS = 100;
    private static final int SAMPLES = 1000;
    private static final int ROUNDS = 4;
    private static final int WARMUP = 15;
    private static final int MEASURED = 60;

    @TestHTTPResource("/")
    URL service;

    @Inject
    ChartService charts;

    @Test
    void comparisonChartOf100VariantsBy1000Samples() throws Exception {
        RunFixture run = new RunFixture("bench 100x1000", "bench-" + UUID.randomUUID().toString().substring(0, 8),
                Instant.now(), ModelRef.SYNTHETIC_TINY);
        Random random = new Random(42);
        StringBuilder samples = new StringBuilder();
        Map<String, Double> baselineFigures = null;
        UUID baselineTrial = null;
        for (int v = 0; v < VARIANTS; v++) {
            UUID trialId = UUID.randomUUID();
            double speed = 0.7 + random.nextDouble() * 0.8;
            double[] latency = new double[SAMPLES];
            double[] ttft = new double[SAMPLES];
            double[] tokensPerSecond = new double[SAMPLES];
            List<double[]> byRound = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                byRound.add(new double[SAMPLES / ROUNDS]);
            }
            for (int i = 0; i < SAMPLES; i++) {
                int round = i % ROUNDS;
                int completion = 64 + random.nextInt(64);
                tokensPerSecond[i] = 20 * speed * (1 + random.nextGaussian() * 0.05);
                ttft[i] = 40 + round * 12 / speed + Math.abs(random.nextGaussian() * 5);
                latency[i] = ttft[i] + completion / tokensPerSecond[i] * 1000;
                byRound.get(round)[i / ROUNDS] = latency[i];
                samples.append(UUID.randomUUID()).append(',').append(trialId).append(',').append(run.runId).append(",c")
                        .append(i / ROUNDS % 25).append(',').append(round).append(',').append(i / 100).append(",1,")
                        .append(80 + round * 60).append(',').append(completion).append(",0,")
                        .append(ttft[i]).append(',').append(latency[i]).append(',').append(tokensPerSecond[i]).append('\n');
            }
            Distribution latencies = Statistics.describe(latency);
            Distribution generation = Statistics.describe(tokensPerSecond);
            List<RoundFigure> rounds = new ArrayList<>();
            double[] roundX = new double[ROUNDS];
            double[] roundY = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                double[] values = byRound.get(r);
                double median = Statistics.describe(values).p50();
                rounds.add(new RoundFigure(r, values.length, median, 40 + r * 12 / speed, 80 + r * 60));
                roundX[r] = r;
                roundY[r] = median;
            }
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put(Metric.LATENCY_P50.key, latencies.p50());
            figures.put(Metric.LATENCY_P95.key, latencies.p95());
            figures.put(Metric.TTFT_P50.key, Statistics.describe(ttft).p50());
            figures.put(Metric.GENERATION_TOKENS_PER_SECOND.key, generation.p50());
            figures.put(Metric.PEAK_RSS_MB.key, 600 + random.nextInt(400) * 1.0);
            Map<String, Change> changes = new LinkedHashMap<>();
            if (baselineFigures != null) {
                for (Metric metric : Metric.values()) {
                    Change change = Change.of(metric, baselineFigures.get(metric.key), figures.get(metric.key));
                    if (change != null) {
                        changes.put(metric.key, change);
                    }
                }
            }
            String name = v == 0 ? "baseline" : "variant-" + v;
            TrialSummary summary = new TrialSummary(trialId, UUID.randomUUID(), name, v == 0, run.artifactId, "f16", name,
                    "SUCCEEDED", null, baselineTrial, SAMPLES, latencies, Statistics.describe(ttft), null, generation,
                    generation, null, 900L, null, (long) (figures.get(Metric.PEAK_RSS_MB.key) * 1_000_000), null,
                    42_000_000L, null, rounds, Statistics.slope(roundX, roundY), figures, changes);
            run.summarised(List.of(new Flag("--threads", String.valueOf(v + 1))), SAMPLES, summary);
            if (v == 0) {
                baselineFigures = figures;
                baselineTrial = trialId;
            }
        }
        long stored = System.nanoTime();
        try (Connection connection = TestDatabase.connect()) {
            run.insert(connection);
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY sample (id, trial_id, run_id, conversation_id, "
                    + "round, repetition, concurrency, prompt_tokens, completion_tokens, cached_tokens, ttft_millis, "
                    + "latency_millis, generation_tokens_per_second) FROM STDIN WITH (FORMAT csv)", new StringReader(samples.toString()));
        }
        double storeSeconds = (System.nanoTime() - stored) / 1e9;
        HttpClient client = HttpClient.newHttpClient();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "comparison chart, %d variants x %d samples (%d sample rows stored in %.1f s), %d requests after %d warm-up%n",
                VARIANTS, SAMPLES, VARIANTS * SAMPLES, storeSeconds, MEASURED, WARMUP));
        for (String query : List.of("comparison.png", "comparison.png?dpi=300", "comparison.svg", "summary.png")) {
            URI uri = URI.create(service + "api/runs/" + run.runId + "/charts/" + query);
            double[] millis = new double[MEASURED];
            long bytes = 0;
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + response.statusCode());
                }
                if (i >= WARMUP) {
                    millis[i - WARMUP] = elapsed / 1e6;
                    bytes = response.body().length;
                }
            }
            Arrays.sort(millis);
            report.append(String.format(Locale.ROOT, "  %-24s median %6.1f ms   p95 %6.1f ms   max %6.1f ms   %,d bytes%n", query,
                    Statistics.percentile(millis, 50), Statistics.percentile(millis, 95), millis[millis.length - 1], bytes));
        }
        // The same work in this process, timed by the thread's CPU time: what the render costs when other
        // programs do not compete for the cores (the HTTP figures above include any such waiting).
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ChartRequest request = new ChartRequest(ChartKind.COMPARISON, Set.of(), new ChartOptions(null, null, null, null, null, 24));
        double[] cpuMillis = new double[MEASURED];
        for (int i = 0; i < WARMUP + MEASURED; i++) {
            long start = threads.getCurrentThreadCpuTime();
            FigureWriter.png(charts.figure(List.of(run.runId), request), 150);
            if (i >= WARMUP) {
                cpuMillis[i - WARMUP] = (threads.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        Arrays.sort(cpuMillis);
        report.append(String.format(Locale.ROOT, "  %-24s median %6.1f ms   p95 %6.1f ms   (CPU time of read + draw + PNG in process)%n",
                "comparison.png cpu", Statistics.percentile(cpuMillis, 50), Statistics.percentile(cpuMillis, 95)));
        report.append(String.format(Locale.ROOT, "  load average during the run: %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors()));
        try (Connection connection = TestDatabase.connect()) {
            run.delete(connection);
        }
        Path out = Path.of("target", "bench", "comparison-chart.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.print(report);
    }
}
