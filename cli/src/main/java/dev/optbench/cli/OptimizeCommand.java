package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts a search for the best configuration: a spec file as {@code POST /api/searches} takes it, or one built from
 * options; with {@code --watch} it follows the search and prints the answer.
 */
@Command(name = "optimize", aliases = "optimise", mixinStandardHelpOptions = true,
        description = {"Search for the fastest configuration that keeps answer quality, from a spec file (- for standard input) "
                + "or from options.",
                "Example: optimize --model synthetic:tiny --flag --flash-attn=on,off --flag --threads=1..2 "
                        + "--quantizations F16,Q8_0,Q4_0 --max-kld 0.0002 --trials 14 --watch"})
final class OptimizeCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SPEC.json", description = "a search spec as POST /api/searches takes it")
    String specFile;

    @Option(names = "--name", description = "the search's name (default: optimize-<date>)")
    String name;

    @Option(names = "--pool", defaultValue = "cpu", description = "the worker pool (default: ${DEFAULT-VALUE})")
    String pool;

    @Option(names = "--model", description = "a model ref (repeatable: several make it a model selection; default synthetic:tiny)")
    List<String> models = new ArrayList<>();

    @Option(names = "--flag", paramLabel = "FLAG=VALUES",
            description = "a flag and its values: --flag --flash-attn=on,off, an integer range --flag --threads=1..8, a switch --flag --mlock= (repeatable)")
    List<String> flags = new ArrayList<>();

    @Option(names = "--quantizations", split = ",", description = "llama-quantize types, the baseline's first, e.g. F16,Q8_0,Q4_K_M")
    List<String> quantizations;

    @Option(names = "--prune", split = ",", description = "pruning levels: blocks to drop from the model file, e.g. 2,4")
    List<Integer> pruneLevels;

    @Option(names = "--objective", defaultValue = "maxGenerationTokensPerSecond",
            description = "maxGenerationTokensPerSecond, minLatencyP95, minTtft or maxTokensPerSecondPerGb (default: ${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--max-judge-loss", description = "the judge loss rate's upper 95 % bound against the baseline, a fraction (0.2)")
    Double maxJudgeLoss;

    @Option(names = "--max-kld", description = "mean KL divergence against the baseline artifact")
    Double maxKld;

    @Option(names = "--max-ppl-increase", description = "perplexity increase against the baseline artifact, in percent")
    Double maxPerplexityIncrease;

    @Option(names = "--memory-within-device", description = "peak memory must fit the device's")
    boolean memoryWithinDevice;

    @Option(names = "--max-ttft", description = "median time to first token, in ms")
    Double maxTtft;

    @Option(names = "--trials", description = "the trial budget")
    Integer trials;

    @Option(names = "--device-hours", description = "the device-hours budget")
    Double deviceHours;

    @Option(names = "--prompts", defaultValue = "builtin:assistant-mix", description = "the full workload's prompt set (default: ${DEFAULT-VALUE})")
    String prompts;

    @Option(names = "--rounds", description = "conversation rounds of the full workload")
    Integer rounds;

    @Option(names = "--repetitions", description = "repetitions inside each full-workload trial")
    Integer repetitions;

    @Option(names = "--max-tokens", description = "completion tokens per request of the full workload")
    Integer maxTokens;

    @Option(names = "--watch", description = "follow the search until it ends and print its answer")
    boolean watch;

    @Override
    public Integer call() {
        ApiClient api = ApiClient.fromEnvironment();
        String body = specFile != null ? readSpec(specFile) : Json.write(specFromOptions());
        JsonNode search = api.post("/api/searches", body);
        String id = search.path("id").asText();
        System.out.println("started search " + id + " (" + search.path("name").asText() + ") over "
                + search.path("result").path("spaceSize").asInt() + " configurations");
        System.out.println("  follow it: ./optbench search " + id + " --watch   progress chart: "
                + api.viz().resolve("/api/searches/" + id + "/charts/progress.png"));
        return watch ? SearchCommand.follow(api, id, System.out) : 0;
    }

    private static String readSpec(String file) {
        try {
            return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    Map<String, Object> specFromOptions() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name != null ? name : "optimize-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
        spec.put("pool", pool);
        spec.put("models", models.isEmpty() ? List.of("synthetic:tiny") : models);
        Map<String, Object> space = new LinkedHashMap<>();
        Map<String, Object> axes = new LinkedHashMap<>();
        for (String flag : flags) {
            int equals = flag.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--flag " + flag + ": write FLAG=VALUES, e.g. --flash-attn=on,off or --threads=1..8");
            }
            axes.put(flag.substring(0, equals), values(flag.substring(equals + 1)));
        }
        space.put("flags", axes);
        if (quantizations != null) {
            space.put("quantizations", quantizations);
        }
        if (pruneLevels != null) {
            space.put("pruneLevels", pruneLevels);
        }
        spec.put("space", space);
        spec.put("objective", objective);
        Map<String, Object> constraints = new LinkedHashMap<>();
        putIfSet(constraints, "maxJudgeLossUpper", maxJudgeLoss);
        putIfSet(constraints, "maxKlDivergence", maxKld);
        putIfSet(constraints, "maxPerplexityIncreasePercent", maxPerplexityIncrease);
        putIfSet(constraints, "peakMemoryWithinDevice", memoryWithinDevice ? Boolean.TRUE : null);
        putIfSet(constraints, "maxTtftMillis", maxTtft);
        spec.put("constraints", constraints);
        Map<String, Object> budget = new LinkedHashMap<>();
        putIfSet(budget, "trials", trials);
        putIfSet(budget, "deviceHours", deviceHours);
        spec.put("budget", budget);
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("prompts", prompts);
        putIfSet(workload, "rounds", rounds);
        putIfSet(workload, "repetitions", repetitions);
        putIfSet(workload, "maxTokens", maxTokens);
        spec.put("workload", workload);
        return spec;
    }

    /** {@code on,off} → a list (numbers stay numbers), {@code 1..8} → an integer range, empty → a switch. */
    static Object values(String text) {
        if (text.isEmpty()) {
            java.util.ArrayList<Object> aSwitch = new java.util.ArrayList<>();
            aSwitch.add(null);
            return aSwitch;
        }
        if (text.matches("-?\\d+\\.\\.-?\\d+")) {
            String[] ends = text.split("\\.\\.");
            return Map.of("from", Integer.parseInt(ends[0]), "to", Integer.parseInt(ends[1]));
        }
        List<Object> values = new ArrayList<>();
        for (String value : text.split(",")) {
            String v = value.strip();
            values.add(v.matches("-?\\d+") ? (Object) Integer.parseInt(v) : v);
        }
        return values;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
