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
 * Submits a run: a spec file as the API takes it, or a spec built from options, with variants in the
 * list-of-dicts form users already write ({@code [{'--flash-attn': None, '--threads': 4}]}).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a run from a spec file (- for standard input), or build one from options.",
                "Example: submit --model synthetic:tiny --optimisations \"[{'--flash-attn': None, '--threads': 4}]\""})
final class SubmitCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SPEC.json", description = "a run spec as POST /api/runs takes it")
    String specFile;

    @Option(names = "--model", description = "a model ref: a .gguf under the models directory, synthetic:tiny or hf:user/repo (repeatable; default synthetic:tiny)")
    List<String> models = new ArrayList<>();

    @Option(names = {"--optimisations", "--optimizations", "--variants"}, paramLabel = "LITERAL",
            description = "the variants as a Python or JSON list of flag dicts")
    String optimisations;

    @Option(names = "--quantizations", split = ",", description = "llama-quantize types to make of each model, e.g. F16,Q8_0,Q4_K_M")
    List<String> quantizations;

    @Option(names = "--name", description = "the run's name (default: cli-<date>)")
    String name;

    @Option(names = "--pool", defaultValue = "cpu", description = "the worker pool (default: ${DEFAULT-VALUE})")
    String pool;

    @Option(names = "--prompts", defaultValue = "builtin:assistant-mix", description = "a prompt set (default: ${DEFAULT-VALUE})")
    String prompts;

    @Option(names = "--rounds", description = "conversation rounds to play")
    Integer rounds;

    @Option(names = "--repetitions", description = "repetitions of the workload")
    Integer repetitions;

    @Option(names = "--max-tokens", description = "completion tokens per request")
    Integer maxTokens;

    @Option(names = "--judge", negatable = true, defaultValue = "true", description = "score answers with the judge (default: ${DEFAULT-VALUE})")
    boolean judge;

    @Option(names = "--watch", description = "follow the run until it ends")
    boolean watch;

    @Override
    public Integer call() {
        ApiClient api = ApiClient.fromEnvironment();
        String body = specFile != null ? readSpec(specFile) : Json.write(specFromOptions());
        JsonNode run = api.post("/api/runs", body);
        RunView view = new RunView(run);
        System.out.println("submitted run " + view.id() + " (" + view.name() + ") with " + view.trials() + " trials");
        System.out.println("  follow it: ./optbench watch " + view.id() + "   dashboard: " + api.viz().resolve("/runs/" + view.id()));
        return watch ? WatchCommand.follow(api, view.id(), System.out) : 0;
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
        spec.put("name", name != null ? name : "cli-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
        spec.put("pool", pool);
        List<Map<String, Object>> modelSpecs = new ArrayList<>();
        for (String model : models.isEmpty() ? List.of("synthetic:tiny") : models) {
            Map<String, Object> modelSpec = new LinkedHashMap<>();
            modelSpec.put("ref", model);
            if (quantizations != null) {
                modelSpec.put("quantizations", quantizations);
            }
            modelSpecs.add(modelSpec);
        }
        spec.put("models", modelSpecs);
        spec.put("baseline", Map.of("name", "Baseline", "flags", Map.of()));
        List<Map<String, Object>> variants = new ArrayList<>();
        if (optimisations != null) {
            for (LinkedHashMap<String, Object> flags : PythonLiteral.parseFlagDicts(optimisations)) {
                Map<String, Object> variant = new LinkedHashMap<>();
                variant.put("name", variantName(flags));
                variant.put("flags", flags);
                variants.add(variant);
            }
        }
        spec.put("variants", variants);
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("prompts", prompts);
        putIfSet(workload, "rounds", rounds);
        putIfSet(workload, "repetitions", repetitions);
        putIfSet(workload, "maxTokens", maxTokens);
        spec.put("workload", workload);
        spec.put("quality", Map.of("judge", judge));
        return spec;
    }

    /** A variant named after its flags: "--flash-attn --threads 4". */
    static String variantName(Map<String, Object> flags) {
        if (flags.isEmpty()) {
            return "no flags";
        }
        List<String> parts = new ArrayList<>();
        flags.forEach((flag, value) -> parts.add(value == null ? flag : flag + " " + value));
        String name = String.join(" ", parts);
        return name.length() <= 120 ? name : name.substring(0, 117) + "...";
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
