package dev.optbench.orchestrator.runs.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.contracts.spec.ModelSpec;
import dev.optbench.contracts.spec.PerplexitySpec;
import dev.optbench.contracts.spec.PruneSpec;
import dev.optbench.contracts.spec.QualitySpec;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.contracts.spec.SweepSpec;
import dev.optbench.contracts.spec.TurnSpec;
import dev.optbench.contracts.spec.VariantSpec;
import dev.optbench.contracts.spec.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads a run spec from JSON, checking the shape and the type of every field and collecting each problem with
 * its path, instead of stopping at the first as a data-binding mapper would. Unknown fields are errors: a
 * misspelt {@code "repetitons"} must not silently fall back to a default. A field with a wrong type reads as
 * null, so the validator does not report it a second time.
 */
public final class RunSpecReader {
    /** Also refuses anything after the spec, and reads decimals exactly: 1e-991 is not the integer 0. */
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final FieldErrors errors;

    private RunSpecReader(FieldErrors errors) {
        this.errors = errors;
    }

    /** Parses and reads a spec; syntax errors are reported on the empty path (the body). */
    public static RunSpec read(String body, FieldErrors errors) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            errors.add("", "is not valid JSON: " + e.getOriginalMessage()
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
            return null;
        }
        if (root == null || root.isMissingNode()) {
            errors.add("", "is empty: send a run spec as a JSON object");
            return null;
        }
        return read(root, errors);
    }

    public static RunSpec read(JsonNode root, FieldErrors errors) {
        return new RunSpecReader(errors).runSpec(root);
    }

    private RunSpec runSpec(JsonNode node) {
        if (!object(node, "", Set.of("name", "pool", "models", "baseline", "variants", "sweep", "workload", "quality"))) {
            return null;
        }
        return new RunSpec(
                text(node.get("name"), "name"),
                text(node.get("pool"), "pool"),
                list(node.get("models"), "models", this::model),
                variant(node.get("baseline"), "baseline"),
                list(node.get("variants"), "variants", this::variant),
                sweep(node.get("sweep"), "sweep"),
                workload(node.get("workload"), "workload"),
                quality(node.get("quality"), "quality"));
    }

    private ModelSpec model(JsonNode node, String path) {
        if (node != null && node.isTextual()) {
            return new ModelSpec(node.asText(), null, null);
        }
        if (!object(node, path, Set.of("ref", "quantizations", "prune"))) {
            return null;
        }
        return new ModelSpec(
                text(node.get("ref"), FieldErrors.child(path, "ref")),
                list(node.get("quantizations"), FieldErrors.child(path, "quantizations"), this::text),
                prune(node.get("prune"), FieldErrors.child(path, "prune")));
    }

    private PruneSpec prune(JsonNode node, String path) {
        if (!object(node, path, Set.of("dropLayers", "from"))) {
            return null;
        }
        return new PruneSpec(integer(node.get("dropLayers"), FieldErrors.child(path, "dropLayers")),
                text(node.get("from"), FieldErrors.child(path, "from")));
    }

    private VariantSpec variant(JsonNode node, String path) {
        if (!object(node, path, Set.of("name", "flags"))) {
            return null;
        }
        return new VariantSpec(text(node.get("name"), FieldErrors.child(path, "name")),
                flags(node.get("flags"), FieldErrors.child(path, "flags")));
    }

    private SweepSpec sweep(JsonNode node, String path) {
        if (!object(node, path, Set.of("name", "base", "axes"))) {
            return null;
        }
        String axesPath = FieldErrors.child(path, "axes");
        LinkedHashMap<String, List<Object>> axes = null;
        JsonNode axesNode = node.get("axes");
        if (isPresent(axesNode)) {
            if (!axesNode.isObject()) {
                errors.add(axesPath, "must be an object of flag name to a list of values");
            } else {
                axes = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> axis : axesNode.properties()) {
                    String axisPath = FieldErrors.child(axesPath, axis.getKey());
                    if (!axis.getValue().isArray()) {
                        errors.add(axisPath, "must be a list of values");
                        continue;
                    }
                    List<Object> values = new ArrayList<>();
                    for (int i = 0; i < axis.getValue().size(); i++) {
                        values.add(flagValue(axis.getValue().get(i), FieldErrors.index(axisPath, i)));
                    }
                    axes.put(axis.getKey(), values);
                }
            }
        }
        return new SweepSpec(text(node.get("name"), FieldErrors.child(path, "name")),
                flags(node.get("base"), FieldErrors.child(path, "base")), axes);
    }

    private WorkloadSpec workload(JsonNode node, String path) {
        if (!object(node, path, Set.of("prompts", "conversations", "rounds", "repetitions", "maxTokens", "temperature", "seed", "concurrency"))) {
            return null;
        }
        return new WorkloadSpec(
                text(node.get("prompts"), FieldErrors.child(path, "prompts")),
                list(node.get("conversations"), FieldErrors.child(path, "conversations"), this::conversation),
                integer(node.get("rounds"), FieldErrors.child(path, "rounds")),
                integer(node.get("repetitions"), FieldErrors.child(path, "repetitions")),
                integer(node.get("maxTokens"), FieldErrors.child(path, "maxTokens")),
                number(node.get("temperature"), FieldErrors.child(path, "temperature")),
                whole(node.get("seed"), FieldErrors.child(path, "seed")),
                list(node.get("concurrency"), FieldErrors.child(path, "concurrency"), this::integer));
    }

    private List<TurnSpec> conversation(JsonNode node, String path) {
        return list(node, path, this::turn);
    }

    /** A turn is {@code {"prompt": ..., "reference": ...}} or just the prompt's text. */
    private TurnSpec turn(JsonNode node, String path) {
        if (node != null && node.isTextual()) {
            return new TurnSpec(text(node, path), null);
        }
        if (!object(node, path, Set.of("prompt", "reference"))) {
            return null;
        }
        return new TurnSpec(text(node.get("prompt"), FieldErrors.child(path, "prompt")),
                text(node.get("reference"), FieldErrors.child(path, "reference")));
    }

    private QualitySpec quality(JsonNode node, String path) {
        if (!object(node, path, Set.of("judge", "judgeModel", "perplexity"))) {
            return null;
        }
        JudgeModelSpec judgeModel = null;
        JsonNode judgeNode = node.get("judgeModel");
        String judgePath = FieldErrors.child(path, "judgeModel");
        if (object(judgeNode, judgePath, Set.of("provider", "baseUrl", "model"))) {
            judgeModel = new JudgeModelSpec(text(judgeNode.get("provider"), FieldErrors.child(judgePath, "provider")),
                    text(judgeNode.get("baseUrl"), FieldErrors.child(judgePath, "baseUrl")),
                    text(judgeNode.get("model"), FieldErrors.child(judgePath, "model")));
        }
        PerplexitySpec perplexity = null;
        JsonNode perplexityNode = node.get("perplexity");
        String perplexityPath = FieldErrors.child(path, "perplexity");
        if (object(perplexityNode, perplexityPath, Set.of("corpus"))) {
            perplexity = new PerplexitySpec(text(perplexityNode.get("corpus"), FieldErrors.child(perplexityPath, "corpus")));
        }
        return new QualitySpec(bool(node.get("judge"), FieldErrors.child(path, "judge")), judgeModel, perplexity);
    }

    private LinkedHashMap<String, Object> flags(JsonNode node, String path) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(path, "must be an object of flag name to value, e.g. {\"--flash-attn\": null, \"--threads\": 4}");
            return null;
        }
        LinkedHashMap<String, Object> flags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> flag : node.properties()) {
            flags.put(flag.getKey(), flagValue(flag.getValue(), FieldErrors.child(path, flag.getKey())));
        }
        return flags;
    }

    /** A flag's value as FlagPolicy takes it: null, text, a number, a boolean; lists and objects it refuses. */
    private Object flagValue(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return text(node, path);
        }
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            // 1e400 reads as an infinite double, which has no decimal value.
            errors.add(path, "is a number too large to be a flag value");
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isArray() ? List.of(node.toString()) : Map.of("value", node.toString());
    }

    private boolean object(JsonNode node, String path, Set<String> fields) {
        if (!isPresent(node)) {
            return false;
        }
        if (!node.isObject()) {
            errors.add(path, "must be an object");
            return false;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!fields.contains(name)) {
                errors.add(FieldErrors.child(path, name), "is not a known field; expected one of " + String.join(", ", fields.stream().sorted().toList()));
            }
        }
        return true;
    }

    private <T> List<T> list(JsonNode node, String path, BiFunction<JsonNode, String, T> element) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(path, "must be a list");
            return null;
        }
        List<T> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            values.add(element.apply(node.get(i), FieldErrors.index(path, i)));
        }
        return values;
    }

    private String text(JsonNode node, String path) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(path, "must be a string");
            return null;
        }
        String text = node.asText();
        if (!storable(text)) {
            errors.add(path, "holds a NUL character or an unpaired surrogate, which cannot be stored");
            return null;
        }
        return text;
    }

    /** PostgreSQL text and jsonb hold no U+0000, and UTF-8 cannot encode half a surrogate pair. */
    private static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private Integer integer(JsonNode node, String path) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            errors.add(path, node.isNumber() ? "must be a whole number within ±2147483647" : "must be an integer");
            return null;
        }
        return node.intValue();
    }

    private Long whole(JsonNode node, String path) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            errors.add(path, "must be an integer");
            return null;
        }
        return node.longValue();
    }

    private Double number(JsonNode node, String path) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isNumber()) {
            errors.add(path, "must be a number");
            return null;
        }
        return node.doubleValue();
    }

    private Boolean bool(JsonNode node, String path) {
        if (!isPresent(node)) {
            return null;
        }
        if (!node.isBoolean()) {
            errors.add(path, "must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    private static boolean isPresent(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
