package dev.optbench.orchestrator.searches;

import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.search.SearchObjective;
import dev.optbench.contracts.search.SearchResult;
import dev.optbench.contracts.search.SearchResult.ParetoPoint;
import dev.optbench.contracts.search.SearchResult.ProgressPoint;
import dev.optbench.contracts.search.SearchResult.QualityEvidence;
import dev.optbench.contracts.search.SearchResult.Recommendation;
import dev.optbench.contracts.search.SearchResult.SearchTrial;
import dev.optbench.contracts.stats.Interval;
import dev.optbench.contracts.stats.Rate;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.strategy.Observation;
import dev.optbench.orchestrator.searches.strategy.SearchPlanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds a search's {@link SearchResult} from its observations: the trials with their roofline share and
 * constraints, best-so-far progress, the recommendation with its gain's interval and quality evidence, and the
 * Pareto front of speed against KL divergence (or perplexity).
 */
public final class SearchResults {
    private static final int RESAMPLES = 2000;

    private final PlannedSearch search;
    private final SearchPlanner planner;

    public SearchResults(PlannedSearch search) {
        this.search = search;
        this.planner = new SearchPlanner(search);
    }

    /**
     * @param requestValues the per-request values of the objective's figure of some trials (for the gain's interval)
     */
    public SearchResult build(List<Observation> observations, boolean ended, Function<List<UUID>, double[]> requestValues) {
        SearchObjective objective = search.objective();
        Map<String, List<String>> artifactViolations = planner.artifactViolations(observations);
        List<SearchTrial> trials = new ArrayList<>();
        List<ProgressPoint> progress = new ArrayList<>();
        Double best = null;
        String bestConfig = null;
        double deviceSeconds = 0;
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            List<String> violations = planner.violations(o, artifactViolations);
            boolean feasible = violations.isEmpty() && o.objective() != null;
            if (feasible && inSpace(o.config()) && (best == null || better(o.objective(), best))) {
                best = o.objective();
                bestConfig = o.config().label();
            }
            deviceSeconds += o.wallSeconds() == null ? 0 : o.wallSeconds();
            trials.add(new SearchTrial(i + 1, o.runId(), o.trialId(), o.stage(), o.config().label(), o.status(), o.objective(),
                    o.generationTokensPerSecond(), o.decodeBoundTokensPerSecond(), o.rooflineShare(), o.objective() == null ? null : feasible,
                    violations));
            progress.add(new ProgressPoint(i + 1, best, bestConfig, o.objective(), o.objective() == null ? null : feasible));
        }
        List<String> excluded = new ArrayList<>();
        artifactViolations.forEach((artifact, broken) -> excluded.add(artifact + ": " + String.join("; ", broken)));
        Recommendation recommendation = ended ? recommend(observations, artifactViolations, requestValues) : null;
        return new SearchResult(objective.key, objective.title(), objective.higherIsBetter, observations.size(), search.trialBudget(),
                deviceSeconds, search.deviceHoursBudget(), (int) Math.min(Integer.MAX_VALUE, search.spaceSize()), trials, progress, excluded,
                recommendation, pareto(observations, artifactViolations, recommendation));
    }

    /** The feasible finalist with the best mean objective over its full-workload measurements. */
    Recommendation recommend(List<Observation> observations, Map<String, List<String>> artifactViolations,
                             Function<List<UUID>, double[]> requestValues) {
        Map<String, List<Observation>> finals = new LinkedHashMap<>();
        observations.stream().filter(o -> o.stage().equals(Observation.FINAL))
                .forEach(o -> finals.computeIfAbsent(o.config().key(), k -> new ArrayList<>()).add(o));
        SearchConfig baseline = search.baselineConfig();
        List<Observation> baselineFinals = finals.getOrDefault(baseline.key(), List.of());
        String pickKey = null;
        double pickValue = 0;
        for (Map.Entry<String, List<Observation>> entry : finals.entrySet()) {
            if (entry.getKey().equals(baseline.key())) {
                continue;
            }
            List<Observation> measured = entry.getValue();
            boolean feasible = measured.stream().allMatch(o -> planner.violations(o, artifactViolations).isEmpty());
            double[] values = measured.stream().filter(Observation::succeeded).mapToDouble(Observation::objective).toArray();
            if (!feasible || values.length == 0) {
                continue;
            }
            double mean = Arrays.stream(values).average().orElseThrow();
            if (pickKey == null || better(mean, pickValue)) {
                pickKey = entry.getKey();
                pickValue = mean;
            }
        }
        if (pickKey == null) {
            return null;
        }
        List<Observation> pick = finals.get(pickKey);
        SearchConfig config = pick.getFirst().config();
        double[] baselineValues = baselineFinals.stream().filter(Observation::succeeded).mapToDouble(Observation::objective).toArray();
        Double baselineMean = baselineValues.length == 0 ? null : Arrays.stream(baselineValues).average().orElseThrow();
        Interval gain = gain(pick, baselineFinals, requestValues);
        Double share = mean(pick.stream().map(Observation::rooflineShare).toList());
        Double bound = mean(pick.stream().map(Observation::decodeBoundTokensPerSecond).toList());
        return new Recommendation(config, config.label(), pickValue, pick.size(), baselineMean, gain,
                evidence(config, pick, observations, artifactViolations), commandLine(config), share, bound);
    }

    /**
     * The gain in percent of the baseline (better positive), its interval by resampling both configurations'
     * requests; the statistic is the one the objective uses (median, or p95 for latency).
     */
    private Interval gain(List<Observation> pick, List<Observation> baseline, Function<List<UUID>, double[]> requestValues) {
        if (baseline.isEmpty()) {
            return null;
        }
        double[] a = requestValues.apply(pick.stream().filter(Observation::succeeded).map(Observation::trialId).toList());
        double[] b = requestValues.apply(baseline.stream().filter(Observation::succeeded).map(Observation::trialId).toList());
        if (a.length < 2 || b.length < 2) {
            return null;
        }
        double memoryFactor = 1.0;
        if (search.objective() == SearchObjective.MAX_TOKENS_PER_SECOND_PER_GB) {
            Double pickMemory = mean(pick.stream().map(o -> o.peakMemoryBytes() == null ? null : o.peakMemoryBytes().doubleValue()).toList());
            Double baseMemory = mean(baseline.stream().map(o -> o.peakMemoryBytes() == null ? null : o.peakMemoryBytes().doubleValue()).toList());
            if (pickMemory == null || baseMemory == null) {
                return null;
            }
            memoryFactor = baseMemory / pickMemory;
        }
        double percentile = search.objective() == SearchObjective.MIN_LATENCY_P95 ? 95 : 50;
        double estimate = gainPercent(statistic(a, percentile) / statistic(b, percentile) * memoryFactor);
        Random random = new Random(search.seed());
        double[] gains = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            gains[r] = gainPercent(statistic(resample(a, random), percentile) / statistic(resample(b, random), percentile) * memoryFactor);
        }
        Arrays.sort(gains);
        return new Interval(estimate, Statistics.percentile(gains, 2.5), Statistics.percentile(gains, 97.5));
    }

    private double gainPercent(double ratio) {
        return search.objective().higherIsBetter ? (ratio - 1) * 100 : (1 - ratio) * 100;
    }

    private static double statistic(double[] values, double percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Statistics.percentile(sorted, percentile);
    }

    private static double[] resample(double[] values, Random random) {
        double[] drawn = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            drawn[i] = values[random.nextInt(values.length)];
        }
        return drawn;
    }

    private QualityEvidence evidence(SearchConfig config, List<Observation> pick, List<Observation> observations,
                                     Map<String, List<String>> artifactViolations) {
        PerplexityFigures figures = screened(observations, config.artifactLabel());
        PerplexityFigures base = screened(observations, search.baselineArtifact().label());
        Double increase = figures == null || base == null || base.perplexity() == 0 ? null
                : (figures.perplexity() - base.perplexity()) / base.perplexity() * 100;
        Rate win = pooled(pick.stream().map(Observation::judgeWin).toList());
        Rate loss = pooled(pick.stream().map(Observation::judgeLoss).toList());
        Boolean degraded = pick.stream().anyMatch(o -> Boolean.TRUE.equals(o.degraded())) ? Boolean.TRUE
                : pick.stream().anyMatch(o -> o.degraded() != null) ? Boolean.FALSE : null;
        List<String> checks = new ArrayList<>();
        var c = search.constraints();
        if (c.maxKlDivergence() != null) {
            checks.add(String.format(Locale.ROOT, "mean KL divergence %s ≤ %s", figures == null || figures.klDivergenceMean() == null ? "0 (baseline artifact)"
                    : fmt(figures.klDivergenceMean()), fmt(c.maxKlDivergence())));
        }
        if (c.maxPerplexityIncreasePercent() != null) {
            checks.add(String.format(Locale.ROOT, "perplexity increase %s %% ≤ %s %%", increase == null ? "0" : fmt(increase),
                    fmt(c.maxPerplexityIncreasePercent())));
        }
        if (c.maxJudgeLossUpper() != null && loss != null) {
            checks.add(String.format(Locale.ROOT, "judge loss %d/%d, upper 95 %% bound %.1f %% ≤ %.1f %%", loss.count(), loss.n(),
                    loss.high() * 100, c.maxJudgeLossUpper() * 100));
        }
        if (c.maxTtftMillis() != null) {
            checks.add(String.format(Locale.ROOT, "TTFT p50 %s ms ≤ %s ms in every measurement",
                    fmt(pick.stream().filter(o -> o.ttftMillis() != null).mapToDouble(Observation::ttftMillis).max().orElse(Double.NaN)),
                    fmt(c.maxTtftMillis())));
        }
        if (Boolean.TRUE.equals(c.peakMemoryWithinDevice())) {
            checks.add("peak memory within the device's in every measurement");
        }
        return new QualityEvidence(figures == null ? null : figures.klDivergenceMean(), figures == null ? null : figures.sameTopTokenPercent(),
                figures == null ? null : figures.perplexity(), base == null ? null : base.perplexity(), increase, win, loss, degraded, checks);
    }

    private static PerplexityFigures screened(List<Observation> observations, String artifactLabel) {
        return observations.stream().filter(o -> o.stage().equals(Observation.SCREEN) && o.perplexity() != null
                && o.config().artifactLabel().equals(artifactLabel)).map(Observation::perplexity).findFirst().orElse(null);
    }

    private static Rate pooled(List<Rate> rates) {
        int count = 0;
        int n = 0;
        for (Rate rate : rates) {
            if (rate != null) {
                count += rate.count();
                n += rate.n();
            }
        }
        return n == 0 ? null : Statistics.rate(count, n);
    }

    /**
     * The measured configurations no other one beats at both speed (the objective, averaged over all its
     * measurements, short and full) and quality (the artifact's KL divergence, else its perplexity); the screening
     * trials put every artifact on it, the ones a quality constraint ruled out marked infeasible.
     */
    private List<ParetoPoint> pareto(List<Observation> observations, Map<String, List<String>> artifactViolations, Recommendation pick) {
        Map<String, List<Observation>> byConfig = new LinkedHashMap<>();
        observations.stream().filter(Observation::succeeded)
                .forEach(o -> byConfig.computeIfAbsent(o.config().key(), k -> new ArrayList<>()).add(o));
        record Point(String key, String label, double objective, Double kld, Double perplexity, boolean feasible) {
        }
        List<Point> points = new ArrayList<>();
        for (List<Observation> measured : byConfig.values()) {
            SearchConfig config = measured.getFirst().config();
            PerplexityFigures figures = screened(observations, config.artifactLabel());
            Double kld = figures == null ? null : figures.klDivergenceMean() == null ? 0.0 : figures.klDivergenceMean();
            boolean feasible = measured.stream().allMatch(o -> planner.violations(o, artifactViolations).isEmpty());
            points.add(new Point(config.key(), config.label(), measured.stream().mapToDouble(Observation::objective).average().orElseThrow(),
                    kld, figures == null ? null : figures.perplexity(), feasible));
        }
        boolean byKld = points.stream().anyMatch(p -> p.kld() != null && p.kld() > 0);
        Function<Point, Double> quality = byKld ? Point::kld : Point::perplexity;
        List<ParetoPoint> front = new ArrayList<>();
        for (Point p : points) {
            if (quality.apply(p) == null) {
                continue;
            }
            boolean dominated = points.stream().anyMatch(q -> q != p && quality.apply(q) != null
                    && !better(p.objective(), q.objective()) && quality.apply(q) <= quality.apply(p)
                    && (better(q.objective(), p.objective()) || quality.apply(q) < quality.apply(p)));
            if (!dominated) {
                front.add(new ParetoPoint(p.label(), p.objective(), p.kld(), p.perplexity(), p.feasible(),
                        pick != null && pick.config().key().equals(p.key())));
            }
        }
        front.sort((x, y) -> Double.compare(y.objective(), x.objective()));
        return front;
    }

    /** Whether every flag of the configuration takes one of its axis's values (the baseline's flags need not). */
    private boolean inSpace(SearchConfig config) {
        if (config.flags().size() != search.axes().size()) {
            return false;
        }
        return search.axes().stream().allMatch(axis -> config.flags().containsKey(axis.flag())
                && axis.values().stream().anyMatch(v -> String.valueOf(v).equals(String.valueOf(config.flags().get(axis.flag())))));
    }

    /** {@code llama-server -m FILE flags…}, the artifact named as the worker made it. */
    String commandLine(SearchConfig config) {
        String file = modelFile(config);
        String base = config.model().equals("synthetic:tiny") ? "tiny-llama-f16.gguf" : config.model();
        StringBuilder line = new StringBuilder();
        if (config.quantization() != null && !file.equals(base)) {
            line.append("llama-quantize ").append(base).append(' ').append(file).append(' ').append(config.quantization()).append(" && ");
        }
        line.append("llama-server -m ").append(file);
        for (String arg : config.argv()) {
            line.append(' ').append(arg.contains(" ") ? "'" + arg + "'" : arg);
        }
        return line.toString();
    }

    private static String modelFile(SearchConfig config) {
        String base = config.model().equals("synthetic:tiny") ? "tiny-llama-f16.gguf" : config.model();
        String stem = base.endsWith(".gguf") ? base.substring(0, base.length() - 5) : base;
        if (config.pruneLayers() > 0) {
            return stem + ".pruned-" + config.pruneLayers() + "-end.gguf";
        }
        if (config.quantization() != null && !stem.toUpperCase(Locale.ROOT).endsWith(config.quantization())) {
            return stem + "." + config.quantization() + ".gguf";
        }
        return base;
    }

    private boolean better(double a, double b) {
        return search.objective().higherIsBetter ? a > b : a < b;
    }

    private static Double mean(List<Double> values) {
        double[] present = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).toArray();
        return present.length == 0 ? null : Arrays.stream(present).average().orElseThrow();
    }

    private static String fmt(double value) {
        return Math.abs(value) >= 0.01 || value == 0 ? String.format(Locale.ROOT, "%.4g", value) : String.format(Locale.ROOT, "%.3e", value);
    }
}
