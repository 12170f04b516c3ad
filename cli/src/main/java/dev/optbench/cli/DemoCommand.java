package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.summary.TrialSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo run: the optimizations people try first, on the model at hand, through the whole stack; then the
 * summary table, every chart and the exports in {@code optbench-results/<run-name>/}. {@code ./optbench demo}
 * brings the stack up first.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Submit the demo run to a running stack, follow it, print the summary table and write charts and exports.",
                "Use ./optbench demo, which also builds and starts the stack."})
final class DemoCommand implements Callable<Integer> {
    /** The gain the demo's progress chart asks for: 20 % more generation throughput than the baseline. */
    static final double TARGET_OVER_BASELINE = 1.2;
    /** The full demo's --ctx-size sweep, for an ablation chart of real points: below the tiny model's 2,048. */
    static final List<Integer> CONTEXT_SIZES = List.of(512, 1024);

    @Option(names = "--model", defaultValue = "synthetic:tiny", description = "a model ref (default: ${DEFAULT-VALUE}, the generated tiny model)")
    String model;

    @Option(names = "--quick", description = "a reduced demo: fewer variants, artifacts and samples (for CI)")
    boolean quick;

    @Option(names = "--threads", description = "--threads of the golden variant (default: this machine's cores)")
    Integer threads;

    @Option(names = "--out", defaultValue = "optbench-results", description = "where results go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--name", description = "the run's name (default: demo-<date-time>)")
    String name;

    @Option(names = "--timeout-minutes", defaultValue = "30", description = "give up after this long (default: ${DEFAULT-VALUE})")
    int timeoutMinutes;

    @Override
    public Integer call() {
        return run(ApiClient.fromEnvironment(), System.out);
    }

    int run(ApiClient api, PrintStream out) {
        Instant started = Instant.now();
        Instant deadline = started.plus(Duration.ofMinutes(timeoutMinutes));
        Map<String, Object> spec = spec();
        JsonNode submitted = api.post("/api/runs", Json.write(spec));
        RunView view = new RunView(submitted);
        out.printf("demo run %s (%s): %d trials — %d variants × %d artifacts of %s%n", view.name(), view.id(), view.trials(),
                submitted.path("variants").size(), submitted.path("artifacts").size(), model);
        if (model.equals("synthetic:tiny")) {
            out.println("The model is the generated tiny model: random weights, gibberish answers. Its timings are real; "
                    + "its judge scores, perplexity and KLD mean nothing.");
        }
        view = followTrials(api, view.id(), deadline, out);
        view = awaitScores(api, view, deadline, out);
        out.println();
        out.print(SummaryTable.render(view.summaries()));
        view.failures().forEach(failure -> out.println("FAILED " + failure));

        Path directory = out(view.name());
        ExportCommand.write(directory.resolve("summary.txt"), SummaryTable.render(view.summaries()));
        ExportCommand.write(directory.resolve("run.json"), view.detail().toPrettyString());
        for (String format : List.of("csv", "json")) {
            for (String level : List.of("sample", "trial")) {
                ExportCommand.write(directory.resolve(level + "s." + format), ExportCommand.export(api, view.id(), format, level));
            }
        }
        Double target = progressTarget(view.summaries());
        if (target != null) {
            out.printf(Locale.ROOT, "progress chart's target: %.1f tok/s (%.1f × the baseline's generation throughput)%n", target,
                    TARGET_OVER_BASELINE);
        }
        ChartsCommand.Download charts = ChartsCommand.download(api, view.id(), directory, 300, target);
        charts.nothingToDraw().forEach(chart -> out.println(ChartsCommand.nothingToDraw(chart)));
        charts.failures().forEach(failure -> out.println("CHART FAILED " + failure));
        out.printf("%nwrote %d chart files (PNG at 300 DPI and SVG), the summary and the exports (CSV, JSON) to %s%n",
                charts.written().size(), directory);
        out.println("dashboard: " + api.viz().resolve("/runs/" + view.id()));
        out.printf("demo finished in %s%n", RunView.format(Duration.between(started, Instant.now())));
        boolean complete = "COMPLETED".equals(view.status()) && view.failures().isEmpty() && charts.failures().isEmpty();
        return complete ? 0 : 1;
    }

    /** The progress chart's target: the reference trial's generation throughput raised by {@link #TARGET_OVER_BASELINE}. */
    static Double progressTarget(List<TrialSummary> summaries) {
        for (TrialSummary summary : summaries) {
            if (summary.baseline() && summary.referenceTrialId() == null && summary.generationTokensPerSecond() != null) {
                return summary.generationTokensPerSecond().p50() * TARGET_OVER_BASELINE;
            }
        }
        return null;
    }

    private Path out(String runName) {
        return out.resolve(runName.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    private static RunView followTrials(ApiClient api, String runId, Instant deadline, PrintStream out) {
        String last = "";
        while (true) {
            RunView view = new RunView(api.get("/api/runs/" + runId));
            String line = view.progressLine(Instant.now());
            String key = line.replaceAll(" — ETA .*$", "");
            if (!key.equals(last)) {
                out.println(line);
                last = key;
            }
            if (view.ended()) {
                return view;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the demo run did not finish in time; it goes on: ./optbench watch " + runId);
            }
            WatchCommand.sleep(1000);
        }
    }

    /** Waits until every judge request of the run has its scores, printing progress. */
    private static RunView awaitScores(ApiClient api, RunView view, Instant deadline, PrintStream out) {
        int lastScored = -1;
        while (true) {
            JsonNode judging = view.detail().path("judging");
            int requested = judging.path("requested").asInt(0);
            int scored = judging.path("scored").asInt(0);
            if (requested == 0 || scored >= requested) {
                return view;
            }
            if (scored != lastScored) {
                out.printf("judging: %d of %d answers scored%n", scored, requested);
                lastScored = scored;
            }
            if (Instant.now().isAfter(deadline)) {
                out.println("judging did not finish in time; the scores so far are shown");
                return view;
            }
            WatchCommand.sleep(2000);
            view = new RunView(api.get("/api/runs/" + view.id()));
        }
    }

    Map<String, Object> spec() {
        int golden = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name != null ? name : "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        spec.put("pool", "cpu");
        Map<String, Object> modelSpec = new LinkedHashMap<>();
        modelSpec.put("ref", model);
        modelSpec.put("quantizations", quick ? List.of("F16", "Q4_K_M") : List.of("F16", "Q8_0", "Q4_K_M"));
        modelSpec.put("prune", Map.of("dropLayers", 1, "from", "end"));
        spec.put("models", List.of(modelSpec));
        spec.put("baseline", Map.of("name", "Baseline", "flags", Map.of()));
        List<Map<String, Object>> variants = new ArrayList<>();
        variants.add(variant("Golden: flash-attn, KV f16, threads " + golden,
                "--flash-attn", null, "--cache-type-k", "f16", "--cache-type-v", "f16", "--threads", golden));
        variants.add(variant("KV cache q8_0", "--flash-attn", "on", "--cache-type-k", "q8_0", "--cache-type-v", "q8_0"));
        if (!quick) {
            variants.add(variant("KV cache q4_0", "--flash-attn", "on", "--cache-type-k", "q4_0", "--cache-type-v", "q4_0"));
            variants.add(variant("Speculative ngram (no draft model)", "--spec-type", "ngram-simple"));
        }
        spec.put("variants", variants);
        if (!quick) {
            spec.put("sweep", Map.of("name", "Window", "base", Map.of(), "axes", Map.of("--ctx-size", CONTEXT_SIZES)));
        }
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("prompts", "builtin:assistant-mix");
        workload.put("rounds", quick ? 2 : 3);
        workload.put("repetitions", quick ? 1 : 2);
        workload.put("maxTokens", quick ? 24 : 48);
        workload.put("temperature", 0);
        workload.put("seed", 42);
        workload.put("concurrency", List.of(1));
        spec.put("workload", workload);
        spec.put("quality", Map.of("judge", true, "perplexity", Map.of("corpus", "builtin:sample-text")));
        return spec;
    }

    private static Map<String, Object> variant(String name, Object... flagsAndValues) {
        LinkedHashMap<String, Object> flags = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndValues.length; i += 2) {
            flags.put((String) flagsAndValues[i], flagsAndValues[i + 1]);
        }
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("name", name);
        variant.put("flags", flags);
        return variant;
    }
}
