package dev.optbench.orchestrator.runs.spec;

import dev.optbench.contracts.corpora.BuiltinCorpus;
import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.contracts.spec.ModelRef;
import dev.optbench.contracts.spec.ModelSpec;
import dev.optbench.contracts.spec.PruneSpec;
import dev.optbench.contracts.spec.QualitySpec;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.contracts.spec.SweepSpec;
import dev.optbench.contracts.spec.TurnSpec;
import dev.optbench.contracts.spec.VariantSpec;
import dev.optbench.contracts.spec.WorkloadSpec;
import dev.optbench.orchestrator.config.OrchestratorConfig;
import dev.optbench.orchestrator.prompts.PromptSet;
import dev.optbench.orchestrator.prompts.PromptSetCatalogue;
import dev.optbench.orchestrator.runs.spec.PlannedRun.PlannedArtifact;
import dev.optbench.orchestrator.runs.spec.PlannedRun.PlannedVariant;
import dev.optbench.orchestrator.workers.PoolCapabilities;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a run spec before anything is stored and turns it into a {@link PlannedRun}: defaults applied, the
 * sweep expanded to its cartesian product, the prompt set resolved, the flags normalised by {@link FlagPolicy}
 * (also against the flags the pool's workers announced). Every bad field is reported, not only the first.
 */
@ApplicationScoped
public class RunSpecValidator {
    /** Pool names become Kafka topic names ({@code bench.jobs.<pool>}). */
    static final Pattern POOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");
    private static final Set<String> JUDGE_PROVIDERS = Set.of("ollama", "openai");
    private static final String DEFAULT_PROMPTS = "builtin:assistant-mix";
    private static final int DEFAULT_REPETITIONS = 1;
    private static final int DEFAULT_MAX_TOKENS = 128;
    private static final double DEFAULT_TEMPERATURE = 0.0;
    private static final long DEFAULT_SEED = 42;
    private static final double MAX_TEMPERATURE = 5.0;
    private static final long MAX_SEED = 4_294_967_295L;
    /** As for a model file: a longer path is no file the worker can open. */
    private static final int MAX_CORPUS_PATH = 255;

    private final FlagPolicy policy = FlagPolicy.pinnedRelease();
    private final OrchestratorConfig.Limits limits;
    private final PromptSetCatalogue promptSets;

    public RunSpecValidator(OrchestratorConfig config, PromptSetCatalogue promptSets) {
        this.limits = config.limits();
        this.promptSets = promptSets;
    }

    /**
     * @param pool what the pool's latest worker announced: the flags it accepts, whether it downloads models
     * @throws InvalidRunSpecException with every bad field, including those {@code errors} already holds
     */
    public PlannedRun validate(RunSpec spec, PoolCapabilities pool, FieldErrors errors) {
        return new Validation(errors, pool).of(spec);
    }

    /** A sweep axis's value: normalised for the server, and as written for the stored sweep point. */
    private record AxisValue(Flag flag, Object written) {
    }

    /** One validation: its errors and the pool's flags; a new one per request, so the bean holds no state. */
    private final class Validation {
        private final FieldErrors errors;
        private final Collection<String> accepted;
        private final boolean downloadsModels;
        private final Map<String, String> names = new LinkedHashMap<>();

        Validation(FieldErrors errors, PoolCapabilities pool) {
            this.errors = errors;
            this.accepted = pool.acceptedFlags();
            this.downloadsModels = pool.downloadsModels();
        }

        PlannedRun of(RunSpec spec) {
            if (spec == null) {
                errors.add("", "must be a JSON object holding a run spec");
                errors.throwIfAny();
            }
            String name = name(spec.name(), "name", null);
            String pool = pool(spec.pool());
            List<PlannedArtifact> artifacts = artifacts(spec.models());
            List<PlannedVariant> variants = variants(spec);
            Workload workload = workload(spec.workload());
            QualitySpec quality = spec.quality();
            boolean judge = quality != null && Boolean.TRUE.equals(quality.judge());
            JudgeModelSpec judgeModel = quality == null ? null : judgeModel(quality.judgeModel());
            String corpus = quality == null || quality.perplexity() == null ? null : corpus(quality.perplexity().corpus());
            if (artifacts != null && variants != null && variants.size() * artifacts.size() > limits.trials()) {
                errors.add("variants", "with the sweep, the baseline and " + artifacts.size() + " model artifact(s) make "
                        + variants.size() * artifacts.size() + " trials; at most " + limits.trials() + " are allowed per run");
            }
            errors.throwIfAny();
            return new PlannedRun(name, pool, spec, variants, artifacts, workload, judge, judgeModel, corpus);
        }

        private String name(String value, String path, String fallback) {
            if (value == null) {
                if (fallback == null) {
                    reject(path, "is required");
                }
                return fallback;
            }
            String trimmed = value.strip();
            if (trimmed.isEmpty()) {
                reject(path, "is empty");
            } else if (trimmed.length() > limits.nameCharacters()) {
                reject(path, "is longer than " + limits.nameCharacters() + " characters");
            } else if (trimmed.chars().anyMatch(Character::isISOControl)) {
                reject(path, "holds control characters");
            }
            return trimmed;
        }

        private void reject(String path, String message) {
            errors.add(path, message);
        }

        private String pool(String pool) {
            if (pool == null) {
                reject("pool", "is required: name the pool of workers to run on, e.g. cpu or h100");
            } else if (!POOL.matcher(pool).matches()) {
                reject("pool", "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the Kafka topic bench.jobs.<pool>)");
            }
            return pool;
        }

        private List<PlannedArtifact> artifacts(List<ModelSpec> models) {
            if (models == null || models.isEmpty()) {
                reject("models", "needs at least one model: a file under the models directory or synthetic:tiny");
                return null;
            }
            if (models.size() > limits.models()) {
                reject("models", "lists " + models.size() + " models; at most " + limits.models() + " are allowed");
                return null;
            }
            List<PlannedArtifact> artifacts = new ArrayList<>();
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 0; i < models.size(); i++) {
                String path = FieldErrors.index("models", i);
                ModelSpec model = models.get(i);
                if (model == null) {
                    reject(path, "must be an object with a ref, or the ref as a string");
                    continue;
                }
                String ref = modelRef(model.ref(), FieldErrors.child(path, "ref"));
                List<String> quantizations = quantizations(model.quantizations(), FieldErrors.child(path, "quantizations"));
                PruneSpec prune = prune(model.prune(), FieldErrors.child(path, "prune"));
                if (ref == null || quantizations == null || (model.prune() != null && prune == null)) {
                    continue;
                }
                List<PlannedArtifact> ofModel = new ArrayList<>();
                for (String quantization : quantizations) {
                    ofModel.add(new PlannedArtifact(i, ref, quantization, 0, null));
                }
                if (prune != null) {
                    ofModel.add(new PlannedArtifact(i, ref, null, prune.dropLayers(), prune.from()));
                }
                for (PlannedArtifact artifact : ofModel) {
                    String earlier = labels.putIfAbsent(artifact.label(), path);
                    if (earlier != null) {
                        reject(path, "repeats the artifact " + artifact.label() + " of " + earlier);
                    }
                }
                artifacts.addAll(ofModel);
            }
            return errors.isEmpty() ? artifacts : null;
        }

        private String modelRef(String ref, String path) {
            if (ref == null) {
                reject(path, "is required: a file under the models directory or synthetic:tiny");
                return null;
            }
            try {
                ModelRef parsed = ModelRef.parse(ref);
                if (parsed.kind() == ModelRef.Kind.HF && !downloadsModels) {
                    reject(path, "needs a download, and no worker of this pool has announced a model hub: start the pool's "
                            + "workers with OPTBENCH_MODEL_HUB_URL (e.g. https://huggingface.co), or put the GGUF file in the "
                            + "models directory and name it by its file name");
                    return null;
                }
                return parsed.text();
            } catch (IllegalArgumentException e) {
                reject(path, e.getMessage());
                return null;
            }
        }

        /** One entry per artifact; {@code [null]} (the file as it is) when the spec lists none. */
        private List<String> quantizations(List<String> requested, String path) {
            if (requested == null) {
                return java.util.Collections.singletonList(null);
            }
            if (requested.isEmpty()) {
                reject(path, "is empty: leave it out to run the model file as it is");
                return null;
            }
            if (requested.size() > limits.quantizationsPerModel()) {
                reject(path, "lists " + requested.size() + " types; at most " + limits.quantizationsPerModel() + " are allowed");
                return null;
            }
            List<String> types = new ArrayList<>();
            boolean ok = true;
            for (int j = 0; j < requested.size(); j++) {
                String type = requested.get(j) == null ? null : Quantizations.normalise(requested.get(j));
                if (type == null) {
                    reject(FieldErrors.index(path, j), "is not a llama-quantize type; use one of "
                            + Quantizations.KNOWN.stream().sorted().collect(Collectors.joining(", ")));
                    ok = false;
                } else if (types.contains(type)) {
                    reject(FieldErrors.index(path, j), "repeats " + type);
                    ok = false;
                } else {
                    types.add(type);
                }
            }
            return ok ? types : null;
        }

        private PruneSpec prune(PruneSpec prune, String path) {
            if (prune == null) {
                return null;
            }
            Integer layers = prune.dropLayers();
            String from = prune.from() == null ? "end" : prune.from();
            boolean ok = true;
            if (layers == null || layers < 1 || layers > limits.pruneLayers()) {
                reject(FieldErrors.child(path, "dropLayers"), "must be a whole number of blocks from 1 to " + limits.pruneLayers());
                ok = false;
            }
            if (!from.equals("end") && !from.equals("middle")) {
                reject(FieldErrors.child(path, "from"), "must be end or middle");
                ok = false;
            }
            return ok ? new PruneSpec(layers, from) : null;
        }

        /** The baseline first, then the listed variants, then the sweep's points. */
        private List<PlannedVariant> variants(RunSpec spec) {
            List<PlannedVariant> variants = new ArrayList<>();
            VariantSpec baseline = spec.baseline() == null ? new VariantSpec("Baseline", new LinkedHashMap<>()) : spec.baseline();
            variants.add(variant(baseline, "baseline", true, "Baseline"));
            List<VariantSpec> listed = spec.variants() == null ? List.of() : spec.variants();
            if (listed.size() > limits.variants()) {
                reject("variants", "lists " + listed.size() + " variants; at most " + limits.variants() + " are allowed");
                return null;
            }
            for (int i = 0; i < listed.size(); i++) {
                String path = FieldErrors.index("variants", i);
                if (listed.get(i) == null) {
                    reject(path, "must be an object with a name and flags");
                    continue;
                }
                variants.add(variant(listed.get(i), path, false, null));
            }
            if (spec.sweep() != null) {
                variants.addAll(sweep(spec.sweep()));
            }
            if (variants.size() > limits.variants()) {
                reject("variants", "the baseline, the listed variants and the sweep make " + variants.size()
                        + " variants; at most " + limits.variants() + " are allowed");
            }
            return errors.isEmpty() ? variants : null;
        }

        private PlannedVariant variant(VariantSpec spec, String path, boolean baseline, String defaultName) {
            String name = uniqueName(name(spec.name(), FieldErrors.child(path, "name"), defaultName), FieldErrors.child(path, "name"));
            List<Flag> flags = flags(spec.flags(), FieldErrors.child(path, "flags"));
            return new PlannedVariant(name, baseline, flags, null);
        }

        private String uniqueName(String name, String path) {
            if (name != null) {
                String earlier = names.putIfAbsent(name.toLowerCase(Locale.ROOT), path);
                if (earlier != null) {
                    reject(path, "'" + name + "' is already the name of " + earlier);
                }
            }
            return name;
        }

        private List<Flag> flags(Map<String, Object> flags, String path) {
            if (flags == null) {
                return List.of();
            }
            if (flags.size() > limits.flagsPerVariant()) {
                reject(path, "sets " + flags.size() + " flags; at most " + limits.flagsPerVariant() + " are allowed");
                return List.of();
            }
            List<FlagPolicy.Violation> violations = policy.check(flags, accepted);
            violations.forEach(v -> reject(FieldErrors.child(path, v.flag()), v.message()));
            return violations.isEmpty() ? policy.normaliseAll(flags) : List.of();
        }

        private List<PlannedVariant> sweep(SweepSpec sweep) {
            String sweepName = name(sweep.name(), "sweep.name", "sweep");
            List<Flag> base = flags(sweep.base(), "sweep.base");
            Set<String> taken = new HashSet<>();
            base.forEach(flag -> taken.add(flag.name()));
            Map<String, List<Object>> rawAxes = sweep.axes();
            if (rawAxes == null || rawAxes.isEmpty()) {
                reject("sweep.axes", "needs at least one axis: a flag and the list of values to try");
                return List.of();
            }
            long points = 1;
            List<List<AxisValue>> axes = new ArrayList<>();
            for (Map.Entry<String, List<Object>> axis : rawAxes.entrySet()) {
                List<AxisValue> values = axis(axis.getKey(), axis.getValue(), taken);
                // Saturating: eight axes of 256 values would wrap a long around to 0 and pass the check below.
                points = saturatingProduct(points, Math.max(1, values.size()));
                axes.add(values);
            }
            if (points > limits.variants()) {
                reject("sweep.axes", "expands to " + (points == Long.MAX_VALUE ? "more than " : "") + points + " variants; at most "
                        + limits.variants() + " are allowed");
            }
            if (!errors.isEmpty()) {
                return List.of();
            }
            List<PlannedVariant> expanded = new ArrayList<>();
            expand(sweepName, base, axes, 0, new ArrayList<>(), expanded);
            return expanded;
        }

        private static long saturatingProduct(long a, long b) {
            try {
                return Math.multiplyExact(a, b);
            } catch (ArithmeticException overflow) {
                return Long.MAX_VALUE;
            }
        }

        /** One axis's values, normalised, each with the value as the spec wrote it (a number stays a number). */
        private List<AxisValue> axis(String flag, List<Object> values, Set<String> taken) {
            String path = FieldErrors.child("sweep.axes", flag);
            if (values.isEmpty()) {
                reject(path, "is empty: list the values to try");
                return List.of();
            }
            List<AxisValue> normalised = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                try {
                    normalised.add(new AxisValue(policy.normalise(flag, values.get(i)), values.get(i)));
                } catch (FlagRejectedException e) {
                    reject(FieldErrors.index(path, i), e.getMessage());
                }
            }
            if (normalised.isEmpty()) {
                return List.of();
            }
            String canonical = normalised.get(0).flag().name();
            if (!taken.add(canonical)) {
                reject(path, "is already set in sweep.base or by another axis (as " + canonical + ")");
            }
            Map<String, Object> probe = new LinkedHashMap<>();
            probe.put(flag, values.get(0));
            policy.check(probe, accepted).forEach(v -> reject(path, v.message()));
            return normalised;
        }

        /** Every point of the axes' cartesian product, named after its values: {@code window --ctx-size=128 --keep=0}. */
        private void expand(String sweepName, List<Flag> base, List<List<AxisValue>> axes, int depth, List<AxisValue> chosen,
                            List<PlannedVariant> out) {
            if (depth == axes.size()) {
                List<Flag> flags = new ArrayList<>(base);
                LinkedHashMap<String, Object> values = new LinkedHashMap<>();
                for (AxisValue value : chosen) {
                    flags.add(value.flag());
                    values.put(value.flag().name(), value.written());
                }
                String label = chosen.stream().map(v -> v.flag().name() + "=" + (v.flag().value() == null ? "on" : v.flag().value()))
                        .collect(Collectors.joining(" "));
                out.add(new PlannedVariant(uniqueName(sweepName + " " + label, "sweep.axes"), false, List.copyOf(flags), values));
                return;
            }
            for (AxisValue value : axes.get(depth)) {
                chosen.add(value);
                expand(sweepName, base, axes, depth + 1, chosen, out);
                chosen.remove(chosen.size() - 1);
            }
        }

        private Workload workload(WorkloadSpec spec) {
            WorkloadSpec w = spec == null ? new WorkloadSpec(null, null, null, null, null, null, null, null) : spec;
            List<Conversation> conversations = conversations(w);
            Integer rounds = w.rounds();
            if (rounds != null && (rounds < 1 || rounds > limits.rounds())) {
                reject("workload.rounds", "must be from 1 to " + limits.rounds());
            }
            int repetitions = bounded(w.repetitions(), DEFAULT_REPETITIONS, 1, limits.repetitions(), "workload.repetitions");
            int maxTokens = bounded(w.maxTokens(), DEFAULT_MAX_TOKENS, 1, limits.maxTokens(), "workload.maxTokens");
            double temperature = w.temperature() == null ? DEFAULT_TEMPERATURE : w.temperature();
            if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
                reject("workload.temperature", "must be from 0 to " + MAX_TEMPERATURE);
            }
            long seed = w.seed() == null ? DEFAULT_SEED : w.seed();
            if (seed < -1 || seed > MAX_SEED) {
                reject("workload.seed", "must be from -1 (random) to " + MAX_SEED);
            }
            List<Integer> concurrency = concurrency(w.concurrency());
            if (conversations == null || concurrency == null || !errors.isEmpty()) {
                return null;
            }
            int played = rounds == null ? limits.rounds() : rounds;
            List<Conversation> truncated = conversations.stream()
                    .map(c -> c.turns().size() <= played ? c : new Conversation(c.conversationId(), List.copyOf(c.turns().subList(0, played))))
                    .toList();
            Workload workload = new Workload(truncated, repetitions, maxTokens, temperature, seed, concurrency);
            if (workload.sampleCount() > limits.samplesPerTrial()) {
                reject("workload", "plays " + workload.sampleCount() + " requests per trial (turns × repetitions × concurrency levels); at most "
                        + limits.samplesPerTrial() + " are allowed");
            }
            return workload;
        }

        private List<Conversation> conversations(WorkloadSpec w) {
            if (w.prompts() != null && w.conversations() != null) {
                reject("workload.conversations", "cannot be given together with workload.prompts: use one or the other");
                return null;
            }
            if (w.conversations() != null) {
                return inlineConversations(w.conversations());
            }
            String ref = w.prompts() == null ? DEFAULT_PROMPTS : w.prompts();
            PromptSet set = ref.startsWith(PromptSetCatalogue.BUILTIN_PREFIX) ? promptSets.find(ref).orElse(null) : null;
            if (set == null) {
                reject("workload.prompts", "is not a shipped prompt set; use one of "
                        + promptSets.all().stream().map(PromptSet::ref).collect(Collectors.joining(", "))
                        + ", or give inline workload.conversations");
                return null;
            }
            return set.conversations();
        }

        private List<Conversation> inlineConversations(List<List<TurnSpec>> inline) {
            String path = "workload.conversations";
            if (inline.isEmpty()) {
                reject(path, "is empty");
                return null;
            }
            if (inline.size() > limits.conversations()) {
                reject(path, "holds " + inline.size() + " conversations; at most " + limits.conversations() + " are allowed");
                return null;
            }
            List<Conversation> conversations = new ArrayList<>();
            long characters = 0;
            for (int i = 0; i < inline.size(); i++) {
                String conversationPath = FieldErrors.index(path, i);
                List<TurnSpec> turns = inline.get(i);
                if (turns == null || turns.isEmpty()) {
                    reject(conversationPath, "must be a list of at least one user turn");
                    continue;
                }
                if (turns.size() > limits.rounds()) {
                    reject(conversationPath, "has " + turns.size() + " turns; at most " + limits.rounds() + " are allowed");
                    continue;
                }
                List<Turn> checked = new ArrayList<>();
                for (int j = 0; j < turns.size(); j++) {
                    String turnPath = FieldErrors.index(conversationPath, j);
                    TurnSpec turn = turns.get(j);
                    if (turn == null) {
                        reject(turnPath, "must be a prompt, or an object with a prompt and an optional reference");
                        continue;
                    }
                    String prompt = text(turn.prompt(), FieldErrors.child(turnPath, "prompt"), true);
                    String reference = text(turn.reference(), FieldErrors.child(turnPath, "reference"), false);
                    characters += (prompt == null ? 0 : prompt.length()) + (reference == null ? 0 : reference.length());
                    checked.add(new Turn(prompt, reference));
                }
                conversations.add(new Conversation("inline-" + (i + 1), checked));
            }
            if (characters > limits.workloadCharacters()) {
                reject(path, "holds " + characters + " characters of prompts and references; at most " + limits.workloadCharacters()
                        + " are allowed (every trial's job carries them)");
            }
            return errors.isEmpty() ? conversations : null;
        }

        private String text(String value, String path, boolean required) {
            if (value == null) {
                if (required) {
                    reject(path, "is required");
                }
                return null;
            }
            if (required && value.isBlank()) {
                reject(path, "is empty");
            } else if (value.length() > limits.promptCharacters()) {
                reject(path, "is longer than " + limits.promptCharacters() + " characters");
            }
            return value;
        }

        private List<Integer> concurrency(List<Integer> levels) {
            String path = "workload.concurrency";
            if (levels == null) {
                return List.of(1);
            }
            if (levels.isEmpty() || levels.size() > limits.concurrencyLevels()) {
                reject(path, "must list 1 to " + limits.concurrencyLevels() + " concurrency levels");
                return null;
            }
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < levels.size(); i++) {
                Integer level = levels.get(i);
                if (level == null || level < 1 || level > limits.concurrency()) {
                    reject(FieldErrors.index(path, i), "must be from 1 to " + limits.concurrency());
                } else if (!seen.add(level)) {
                    reject(FieldErrors.index(path, i), "repeats the level " + level);
                }
            }
            return errors.has(path) || levels.stream().anyMatch(l -> l == null) ? null : List.copyOf(levels);
        }

        private int bounded(Integer value, int fallback, int min, int max, String path) {
            if (value == null) {
                return fallback;
            }
            if (value < min || value > max) {
                reject(path, "must be from " + min + " to " + max);
            }
            return value;
        }

        private JudgeModelSpec judgeModel(JudgeModelSpec judge) {
            if (judge == null) {
                return null;
            }
            String path = "quality.judgeModel";
            if (judge.provider() == null || !JUDGE_PROVIDERS.contains(judge.provider())) {
                reject(path + ".provider", "must be ollama or openai (any OpenAI-compatible endpoint, llama-server included)");
            }
            if (judge.baseUrl() == null || !isHttpUrl(judge.baseUrl())) {
                reject(path + ".baseUrl", "must be an http or https URL, e.g. http://127.0.0.1:11434");
            }
            if (judge.model() == null || judge.model().isBlank() || judge.model().length() > limits.nameCharacters()) {
                reject(path + ".model", "must name the judge model, at most " + limits.nameCharacters() + " characters");
            }
            return judge;
        }

        private static boolean isHttpUrl(String text) {
            try {
                URI uri = new URI(text);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        /** {@code builtin:<name>} of a corpus the worker ships ({@link BuiltinCorpus}), or a text file under the models directory. */
        private String corpus(String corpus) {
            String path = "quality.perplexity.corpus";
            String shipped = String.join(", ", BuiltinCorpus.names().stream().sorted().toList());
            if (corpus == null) {
                reject(path, "is required: " + shipped + ", or a .txt file under the models directory");
                return null;
            }
            if (BuiltinCorpus.isBuiltin(corpus)) {
                if (!BuiltinCorpus.names().contains(corpus)) {
                    reject(path, "is not a shipped corpus; use " + shipped);
                }
                return corpus;
            }
            boolean inside = SAFE_PATH.matcher(corpus).matches()
                    && java.util.Arrays.stream(corpus.split("/")).noneMatch(s -> s.equals("..") || s.equals("."));
            if (!inside || !corpus.endsWith(".txt")) {
                reject(path, "must be builtin:<name> or a relative path of a .txt file inside the models directory");
            } else if (corpus.length() > MAX_CORPUS_PATH) {
                reject(path, "is longer than " + MAX_CORPUS_PATH + " characters");
            }
            return corpus;
        }
    }
}
