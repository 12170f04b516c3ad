package dev.optbench.orchestrator.searches.spec;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.search.SearchBudget;
import dev.optbench.contracts.search.SearchConstraints;
import dev.optbench.contracts.search.SearchObjective;
import dev.optbench.contracts.search.SearchSpace;
import dev.optbench.contracts.search.SearchSpec;
import dev.optbench.contracts.spec.ModelSpec;
import dev.optbench.contracts.spec.PerplexitySpec;
import dev.optbench.contracts.spec.PruneSpec;
import dev.optbench.contracts.spec.QualitySpec;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.contracts.spec.VariantSpec;
import dev.optbench.contracts.spec.WorkloadSpec;
import dev.optbench.orchestrator.problems.InvalidFieldsException;
import dev.optbench.orchestrator.runs.spec.FieldErrors;
import dev.optbench.orchestrator.runs.spec.PlannedRun;
import dev.optbench.orchestrator.runs.spec.RunSpecValidator;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.FlagAxis;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.SearchArtifact;
import dev.optbench.orchestrator.workers.PoolCapabilities;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a search spec and turns it into a {@link PlannedSearch}. The models, the baseline's flags, both workloads
 * and the quality settings go through {@link RunSpecValidator} (the search's rounds are ordinary runs, so they must
 * pass it), each flag value of the space through {@link FlagPolicy}; every bad field is reported.
 */
@ApplicationScoped
public class SearchValidator {
    static final String DEFAULT_CORPUS = "builtin:sample-text";
    private static final int MAX_RANGE_VALUES = 256;
    private static final long MAX_SPACE = 10_000_000L;
    private static final int DEFAULT_FINALISTS = 2;
    private static final int DEFAULT_REPETITIONS = 2;
    private static final int DEFAULT_BATCH = 4;
    private static final int SCREENING_MAX_TOKENS = 32;

    private final RunSpecValidator runs;
    private final FlagPolicy policy = FlagPolicy.pinnedRelease();

    public SearchValidator(RunSpecValidator runs) {
        this.runs = runs;
    }

    /**
     * @param pool what the pool's latest worker announced (the flags it accepts, its model hub)
     * @throws InvalidFieldsException with every bad field
     */
    public PlannedSearch validate(SearchSpec spec, PoolCapabilities pool) {
        FieldErrors errors = new FieldErrors();
        List<String> models = spec.models() == null ? List.of() : spec.models();
        if (models.isEmpty()) {
            errors.add("models", "needs at least one model ref: a file under the models directory or synthetic:tiny");
        }
        SearchSpace space = spec.space() == null ? new SearchSpace(null, null, null) : spec.space();
        List<Integer> pruneLevels = pruneLevels(space.pruneLevels(), errors);
        List<FlagAxis> axes = axes(space.flags(), pool.acceptedFlags(), errors);
        LinkedHashMap<String, Object> baselineFlags = spec.baseline() == null || spec.baseline().flags() == null
                ? new LinkedHashMap<>() : spec.baseline().flags();
        SearchObjective objective = objective(spec.objective(), errors);
        SearchConstraints constraints = spec.constraints() == null ? new SearchConstraints(null, null, null, null, null) : spec.constraints();
        constraints(constraints, errors);
        int finalists = bounded(spec.finalists(), DEFAULT_FINALISTS, 1, 8, "finalists", errors);
        int repetitions = bounded(spec.repetitions(), DEFAULT_REPETITIONS, 1, 10, "repetitions", errors);
        int batch = bounded(spec.batchSize(), DEFAULT_BATCH, 1, 32, "batchSize", errors);
        QualitySpec quality = spec.quality();
        String corpus = quality != null && quality.perplexity() != null ? quality.perplexity().corpus() : DEFAULT_CORPUS;
        WorkloadSpec screening = spec.screeningWorkload() != null ? spec.screeningWorkload() : screening(spec.workload());

        // The runs the search will submit must pass the run validator: one probe for the models, the full workload
        // and quality, one for the short workload.
        List<String> quantizations = space.quantizations() == null || space.quantizations().isEmpty() ? null : space.quantizations();
        List<ModelSpec> modelSpecs = models.stream().map(ref -> new ModelSpec(ref, quantizations, null)).toList();
        QualitySpec probeQuality = new QualitySpec(constraints.needsJudge() ? Boolean.TRUE : null,
                quality == null ? null : quality.judgeModel(), new PerplexitySpec(corpus));
        String name = spec.name() == null ? null : spec.name().strip();
        RunSpec probe = new RunSpec(name, spec.pool(), modelSpecs, new VariantSpec("Baseline", baselineFlags), null, null,
                spec.workload(), probeQuality);
        PlannedRun full = probe(probe, pool, errors, Map.of());
        PlannedRun shortRun = probe(new RunSpec(name == null ? "search" : name, spec.pool() == null ? "probe" : spec.pool(),
                List.of(new ModelSpec("synthetic:tiny", null, null)), null, null, null, screening, null), pool, errors,
                Map.of("workload", "screeningWorkload"));
        if (name != null && name.length() > 150) {
            errors.add("name", "is longer than 150 characters (its runs add the round to it)");
        }
        Integer trialBudget = null;
        Double deviceHours = null;
        SearchBudget budget = spec.budget();
        if (budget == null || (budget.trials() == null && budget.deviceHours() == null)) {
            errors.add("budget", "is required: {\"trials\": N} and/or {\"deviceHours\": H}");
        } else {
            if (budget.trials() != null && (budget.trials() < 3 || budget.trials() > 10_000)) {
                errors.add("budget.trials", "must be from 3 to 10000");
            }
            if (budget.deviceHours() != null && !(budget.deviceHours() > 0 && budget.deviceHours() <= 10_000)) {
                errors.add("budget.deviceHours", "must be above 0 and at most 10000");
            }
            trialBudget = budget.trials();
            deviceHours = budget.deviceHours();
        }
        if (!errors.isEmpty()) {
            throw new InvalidFieldsException("Invalid search spec", errors.list());
        }

        List<SearchArtifact> artifacts = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            String ref = models.get(m).strip();
            if (quantizations == null) {
                artifacts.add(new SearchArtifact(m, ref, null, 0));
            } else {
                for (var artifact : full.artifacts()) {
                    if (artifact.modelIndex() == m) {
                        artifacts.add(new SearchArtifact(m, ref, artifact.quantization(), 0));
                    }
                }
            }
            for (int level : pruneLevels) {
                artifacts.add(new SearchArtifact(m, ref, null, level));
            }
        }
        PlannedSearch planned = new PlannedSearch(name, spec.pool(), spec, List.copyOf(models), List.copyOf(artifacts), axes,
                baselineFlags, objective, constraints, trialBudget, deviceHours, spec.workload(), screening, finalists, repetitions,
                batch, quality == null ? null : quality.judgeModel(), corpus, spec.seed() == null ? 42 : spec.seed());
        if (planned.spaceSize() > MAX_SPACE) {
            throw InvalidFieldsException.of("space", "holds " + planned.spaceSize() + " configurations; at most " + MAX_SPACE + " are allowed");
        }
        if (planned.spaceSize() < 2) {
            throw InvalidFieldsException.of("space", "holds one configuration: give flag values, quantizations or pruning levels to choose from");
        }
        if (trialBudget != null && trialBudget < minimumTrials(planned)) {
            throw InvalidFieldsException.of("budget.trials", "must be at least " + minimumTrials(planned) + " for this space: "
                    + artifacts.size() + " screening trial(s) (one per artifact), one exploration trial and one final run "
                    + "(the baseline and a finalist)");
        }
        return planned;
    }

    /** Screening (one trial per artifact), one exploration trial, one final run of the baseline and one finalist. */
    public static int minimumTrials(PlannedSearch search) {
        return search.artifacts().size() + 1 + 2;
    }

    /** The full workload cut to one round, one repetition, its first concurrency level and short answers. */
    static WorkloadSpec screening(WorkloadSpec full) {
        WorkloadSpec w = full == null ? new WorkloadSpec(null, null, null, null, null, null, null, null) : full;
        int maxTokens = w.maxTokens() == null ? SCREENING_MAX_TOKENS : Math.min(w.maxTokens(), SCREENING_MAX_TOKENS);
        List<Integer> concurrency = w.concurrency() == null || w.concurrency().isEmpty() ? null : List.of(w.concurrency().getFirst());
        return new WorkloadSpec(w.prompts(), w.conversations(), 1, 1, maxTokens, w.temperature(), w.seed(), concurrency);
    }

    private PlannedRun probe(RunSpec probe, PoolCapabilities pool, FieldErrors errors, Map<String, String> renames) {
        try {
            return runs.validate(probe, pool, new FieldErrors());
        } catch (InvalidFieldsException e) {
            for (FieldErrors.FieldError error : e.errors()) {
                errors.add(rename(error.field(), renames), error.message());
            }
            return null;
        }
    }

    private static String rename(String field, Map<String, String> renames) {
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            if (field.equals(rename.getKey()) || field.startsWith(rename.getKey() + ".")) {
                return rename.getValue() + field.substring(rename.getKey().length());
            }
        }
        if (field.matches("models\\[\\d+]\\.quantizations.*")) {
            return "space.quantizations" + field.substring(field.indexOf(".quantizations") + ".quantizations".length());
        }
        if (field.matches("models\\[\\d+]\\.ref")) {
            return field.substring(0, field.indexOf(".ref"));
        }
        return field;
    }

    private static List<Integer> pruneLevels(List<Integer> levels, FieldErrors errors) {
        if (levels == null) {
            return List.of();
        }
        LinkedHashSet<Integer> distinct = new LinkedHashSet<>();
        for (int i = 0; i < levels.size(); i++) {
            Integer level = levels.get(i);
            if (level == null || level < 0 || level > 1024) {
                errors.add("space.pruneLevels[" + i + "]", "must be a number of blocks from 0 to 1024");
            } else if (level > 0 && !distinct.add(level)) {
                errors.add("space.pruneLevels[" + i + "]", "repeats " + level);
            }
        }
        return List.copyOf(distinct);
    }

    private List<FlagAxis> axes(LinkedHashMap<String, Object> flags, Collection<String> accepted, FieldErrors errors) {
        List<FlagAxis> axes = new ArrayList<>();
        if (flags == null) {
            return axes;
        }
        for (Map.Entry<String, Object> entry : flags.entrySet()) {
            String path = "space.flags." + entry.getKey();
            List<Object> values = values(entry.getValue(), path, errors);
            if (values == null) {
                continue;
            }
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            boolean ok = true;
            for (int i = 0; i < values.size(); i++) {
                try {
                    var flag = policy.normalise(entry.getKey(), values.get(i));
                    if (!seen.add(flag.name() + "=" + flag.value())) {
                        errors.add(path + "[" + i + "]", "repeats a value");
                        ok = false;
                    }
                } catch (FlagRejectedException e) {
                    errors.add(path + "[" + i + "]", e.getMessage());
                    ok = false;
                }
            }
            if (!ok) {
                continue;
            }
            Map<String, Object> probe = new LinkedHashMap<>();
            probe.put(entry.getKey(), values.getFirst());
            policy.check(probe, accepted).forEach(v -> errors.add(path, v.message()));
            boolean numeric = values.stream().allMatch(v -> v instanceof Number);
            axes.add(new FlagAxis(entry.getKey(), List.copyOf(values), numeric));
        }
        return axes;
    }

    /** A list of values, or an integer range {@code {"from": 1, "to": 8, "step": 1}}. */
    private static List<Object> values(Object raw, String path, FieldErrors errors) {
        if (raw instanceof List<?> list) {
            if (list.isEmpty()) {
                errors.add(path, "is empty: list the values to try");
                return null;
            }
            return new ArrayList<>(list);
        }
        if (raw instanceof Map<?, ?> range) {
            if (!range.keySet().stream().allMatch(k -> k.equals("from") || k.equals("to") || k.equals("step"))
                    || !(range.get("from") instanceof Integer from) || !(range.get("to") instanceof Integer to)) {
                errors.add(path, "must be a list of values or an integer range {\"from\": 1, \"to\": 8, \"step\": 1}");
                return null;
            }
            Object stepValue = range.get("step");
            int step = stepValue == null ? 1 : stepValue instanceof Integer s ? s : 0;
            if (step < 1 || to < from || (to - from) / step + 1 > MAX_RANGE_VALUES) {
                errors.add(path, "must run upwards with a step of at least 1 and hold at most " + MAX_RANGE_VALUES + " values");
                return null;
            }
            List<Object> values = new ArrayList<>();
            for (int v = from; v <= to; v += step) {
                values.add(v);
            }
            return values;
        }
        errors.add(path, "must be a list of values or an integer range {\"from\": 1, \"to\": 8}");
        return null;
    }

    private static SearchObjective objective(String key, FieldErrors errors) {
        String known = Arrays.stream(SearchObjective.values()).map(o -> o.key).collect(Collectors.joining(", "));
        if (key == null) {
            errors.add("objective", "is required: one of " + known);
            return null;
        }
        try {
            return SearchObjective.ofKey(key);
        } catch (IllegalArgumentException e) {
            errors.add("objective", "must be one of " + known);
            return null;
        }
    }

    private static void constraints(SearchConstraints c, FieldErrors errors) {
        if (c.maxJudgeLossUpper() != null && !(c.maxJudgeLossUpper() > 0 && c.maxJudgeLossUpper() <= 1)) {
            errors.add("constraints.maxJudgeLossUpper", "must be a fraction above 0 and at most 1 (0.2 = 20 %)");
        }
        if (c.maxKlDivergence() != null && !(c.maxKlDivergence() >= 0)) {
            errors.add("constraints.maxKlDivergence", "must be 0 or more");
        }
        if (c.maxPerplexityIncreasePercent() != null && !(c.maxPerplexityIncreasePercent() >= 0)) {
            errors.add("constraints.maxPerplexityIncreasePercent", "must be 0 or more");
        }
        if (c.maxTtftMillis() != null && !(c.maxTtftMillis() > 0)) {
            errors.add("constraints.maxTtftMillis", "must be above 0");
        }
    }

    private static int bounded(Integer value, int fallback, int min, int max, String path, FieldErrors errors) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            errors.add(path, "must be from " + min + " to " + max);
        }
        return value;
    }

    /** A prune spec as a run spec writes it, for a search's round. */
    public static PruneSpec prune(int layers) {
        return layers > 0 ? new PruneSpec(layers, "end") : null;
    }
}
