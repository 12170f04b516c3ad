package dev.optbench.bench.platform;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * OptBench's benchmark of itself, against a running stack (bench/run.sh starts one): fidelity, harness overhead and
 * dispatch from real trials on the stack's worker beside llama-bench; ingestion, queries and charts of a generated
 * run of 100 variants × 1,000 samples; each service's memory idle and under that load; and JMH for the in-process
 * hot paths. Prints one table, each figure the median of its repetitions with their spread. It asserts nothing
 * about time: goals are marked met or missed in the table.
 */
public final class PlatformBenchmark {
    private static final double MB = 1024.0 * 1024.0;

    private final Map<String, String> options;
    private final boolean shortForm;
    private final List<Double> loadAverages = new ArrayList<>();

    private PlatformBenchmark(Map<String, String> options) {
        this.options = options;
        this.shortForm = options.containsKey("short");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length == 2 ? pair[1] : "true");
        }
        new PlatformBenchmark(options).run();
    }

    private int option(String name, int full, int brief) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(shortForm ? brief : full)));
    }

    private void run() throws Exception {
        Stack stack = new Stack();
        int trialRepetitions = option("trial-repetitions", 5, 2);
        int trialRequests = option("trial-requests", 25, 20);
        int maxTokens = option("max-tokens", 64, 64);
        // One thread by default: on a shared 2-core machine two spinning compute threads wait on each other at every
        // graph barrier whenever the scheduler parks one, which swamps what the comparison is about.
        int threads = option("threads", 1, 1);
        int ingestRepetitions = option("ingest-repetitions", 3, 1);
        int variants = option("variants", 100, 20);
        int samples = option("samples", 1000, 250);
        int chunk = option("chunk", 50, 50);
        int queryRepetitions = option("query-repetitions", 5, 2);
        int queryRequests = option("query-requests", 40, 10);
        ResultTable table = new ResultTable();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));

        List<ServiceProcess> parts = stack.parts();
        Map<String, Long> idle = new LinkedHashMap<>();
        parts.forEach(p -> idle.put(p.name(), p.rssBytes()));
        Map<String, Long> peaks;
        try (MemoryWatch memory = new MemoryWatch(parts)) {
            LlamaBench llamaBench = new LlamaBench(stack.llamaBinDir, stack.modelsDir.resolve("tiny-llama-f16.gguf"),
                    stack.home.resolve("logs").resolve("bench-llama-bench.log"));
            CurlReference curl = new CurlReference(stack.llamaBinDir, stack.modelsDir.resolve("tiny-llama-f16.gguf"),
                    stack.home.resolve("logs").resolve("bench-llama-server.log"));
            TrialBench trials = new TrialBench(stack, llamaBench, curl, threads, trialRequests, maxTokens);
            List<TrialBench.Repetition> trialReps = new ArrayList<>();
            noteLoad();
            TrialBench.Repetition cold = trials.repeat();
            progress("first trial (cold): dispatch %.0f ms, overhead %.2f ms, dead %.1f %%", cold.dispatchMillis(), cold.overheadMillis(),
                    cold.deadShare() * 100);
            for (int i = 0; i < trialRepetitions; i++) {
                noteLoad();
                trialReps.add(trials.repeat());
                progress("trial %d of %d: dispatch %.0f ms, overhead %.2f ms (curl %.2f ms), dead %.1f %%", i + 1, trialRepetitions,
                        trialReps.getLast().dispatchMillis(), trialReps.getLast().overheadMillis(), trialReps.getLast().curlOverheadMillis(),
                        trialReps.getLast().deadShare() * 100);
            }
            table.addAll(TrialBench.figures(cold, trialReps, threads, trialRequests, maxTokens));

            IngestionBench ingestion = new IngestionBench(stack, variants, samples, chunk);
            List<IngestionBench.Repetition> ingestReps = new ArrayList<>();
            if (ingestRepetitions > 0 && !shortForm) {
                // The orchestrator's ingestion code is compiled by the JIT during its first runs; time the steady state.
                IngestionBench.Repetition warmUp = new IngestionBench(stack, 20, 250, chunk).repeat();
                Runs.delete(stack, warmUp.runId());
                table.add(Figure.info(4, "warm-up ingestion before the measured ones (20 variants × 250 samples; the first after a start "
                        + "includes the JIT's compilation)", "samples/s", warmUp.samplesPerSecond()));
                progress("ingestion warm-up: %,.0f samples/s", warmUp.samplesPerSecond());
            }
            for (int i = 0; i < ingestRepetitions; i++) {
                noteLoad();
                if (!ingestReps.isEmpty()) {
                    Runs.delete(stack, ingestReps.getLast().runId());
                }
                ingestReps.add(ingestion.repeat());
                progress("ingestion %d of %d: %,.0f samples/s", i + 1, ingestRepetitions, ingestReps.getLast().samplesPerSecond());
            }
            table.addAll(IngestionBench.figures(ingestReps, variants, samples));

            if (!ingestReps.isEmpty() && queryRepetitions > 0) {
                var runId = ingestReps.getLast().runId();
                QueryBench queries = new QueryBench(stack);
                String run = variants + " variants × " + samples + " samples";
                URI runUri = stack.orchestrator("/api/runs/" + runId);
                URI chartUri = stack.viz("/api/runs/" + runId + "/charts/comparison.png");
                queries.warmUp(runUri, 20);
                queries.warmUp(chartUri, 10);
                List<QueryBench.Repetition> runReps = new ArrayList<>();
                List<QueryBench.Repetition> chartReps = new ArrayList<>();
                for (int i = 0; i < queryRepetitions; i++) {
                    noteLoad();
                    runReps.add(queries.repeat(runUri, stack.part("orchestrator"), queryRequests));
                    chartReps.add(queries.repeat(chartUri, stack.part("viz-service"), queryRequests));
                    progress("queries %d of %d: run p95 %.1f ms, chart p95 %.1f ms", i + 1, queryRepetitions,
                            runReps.getLast().p95Millis(), chartReps.getLast().p95Millis());
                }
                String perRep = queryRequests + " requests per repetition";
                table.add(Figure.goal(5, "GET /api/runs/{id}, " + run + " (" + String.format(Locale.ROOT, "%,d", runReps.getLast().bytes())
                        + " bytes): p95 of " + perRep, "ms", "≤ 200 ms", v -> v <= 200, values(runReps, QueryBench.Repetition::p95Millis)));
                table.add(Figure.info(5, "GET /api/runs/{id}: p50", "ms", values(runReps, QueryBench.Repetition::p50Millis)));
                table.add(Figure.info(5, "GET /api/runs/{id}: orchestrator CPU time per request", "ms", values(runReps, QueryBench.Repetition::cpuMillisPerRequest)));
                table.add(Figure.goal(5, "comparison chart (PNG, 150 dpi) of that run through HTTP: p95 of " + perRep, "ms", "≤ 300 ms",
                        v -> v <= 300, values(chartReps, QueryBench.Repetition::p95Millis)));
                table.add(Figure.info(5, "comparison chart: p50", "ms", values(chartReps, QueryBench.Repetition::p50Millis)));
                table.add(Figure.info(5, "comparison chart: viz-service CPU time per request", "ms", values(chartReps, QueryBench.Repetition::cpuMillisPerRequest)));
            }
            if (!ingestReps.isEmpty()) {
                Runs.delete(stack, ingestReps.getLast().runId());
            }
            noteLoad();
            memory.close();
            peaks = memory.peaks();
        }
        for (ServiceProcess part : parts) {
            boolean service = !part.name().equals("kafka") && !part.name().equals("postgres");
            String what = service ? part.name() : part.name() + " (infrastructure, no goal)";
            double idleMb = idle.get(part.name()) / MB;
            double peakMb = peaks.get(part.name()) / MB;
            table.add(service ? Figure.goal(6, what + " RSS idle", "MB", "≤ 512 MB", v -> v <= 512, idleMb) : Figure.info(6, what + " RSS idle", "MB", idleMb));
            table.add(service ? Figure.goal(6, what + " RSS peak under the benchmark's load", "MB", "≤ 512 MB", v -> v <= 512, peakMb)
                    : Figure.info(6, what + " RSS peak under the benchmark's load", "MB", peakMb));
        }
        if (!options.containsKey("no-jmh")) {
            table.addAll(HotPaths.run(shortForm));
        }
        print(table, started);
    }

    private void print(ResultTable table, String started) throws IOException {
        double[] loads = loadAverages.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "OptBench platform benchmark%s, %s on %s (%d cores, %.0f GB), load average (1 min) %.1f – %.1f (median %.1f)%n",
                shortForm ? " (short form)" : "", started, cpuModel(), Runtime.getRuntime().availableProcessors(),
                totalMemoryGb(), loads[0], loads[loads.length - 1], loads[loads.length / 2]));
        out.append("Each figure: median of n repetitions, spread min – max. Goals from issue 10.\n\n");
        out.append(table.markdown());
        System.out.print(out);
        Path file = Path.of(options.getOrDefault("out", "bench/platform/target/platform-benchmark.md"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out);
    }

    private void noteLoad() throws IOException {
        loadAverages.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }

    private static <T> double[] values(List<T> reps, ToDoubleFunction<T> figure) {
        return reps.stream().mapToDouble(figure).toArray();
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    }

    private static double totalMemoryGb() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024 / 1024).findFirst().orElse(0);
    }
}
