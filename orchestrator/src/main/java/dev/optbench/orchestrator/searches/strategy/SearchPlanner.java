package dev.optbench.orchestrator.searches.strategy;

import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.contracts.search.SearchConstraints;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.FlagAxis;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.SearchArtifact;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The search's decisions, pure: which configurations to screen, which to explore next (first a batch that covers
 * every pair of flag values, then expected improvement of a Gaussian process fitted to the short-workload
 * measurements, times the probability of meeting the measured constraints, a batch at a time by the kriging
 * believer), which survive to the full workload, and which one wins.
 * Objectives are compared as logarithms oriented so that larger is better.
 */
public final class SearchPlanner {
    private static final int MAX_CANDIDATES = 20_000;
    private static final int MAX_COVERING_SUBSETS = 20_000;

    private final PlannedSearch search;
    private final Encoder encoder;

    public SearchPlanner(PlannedSearch search) {
        this.search = search;
        this.encoder = new Encoder(search);
    }

    /** The baseline, then the baseline's flags on every other artifact: their speed, and their perplexity and KLD. */
    public List<SearchConfig> screening() {
        List<SearchConfig> configs = new ArrayList<>();
        for (SearchArtifact artifact : search.artifacts()) {
            configs.add(artifact.with(new LinkedHashMap<>(search.baselineFlags())));
        }
        return configs;
    }

    /** The oriented target: log of the objective, negated when smaller is better. */
    public double target(double objective) {
        double log = Math.log(Math.max(objective, 1e-9));
        return search.objective().higherIsBetter ? log : -log;
    }

    /**
     * The quality constraints each artifact breaks, by artifact label, from the screening trials' perplexity figures
     * (flags do not change the logits, so these hold for every configuration on the artifact).
     */
    public Map<String, List<String>> artifactViolations(List<Observation> observations) {
        SearchConstraints c = search.constraints();
        Map<String, List<String>> violations = new LinkedHashMap<>();
        if (!c.needsPerplexity()) {
            return violations;
        }
        Double basePerplexity = null;
        String baseLabel = search.baselineArtifact().label();
        for (Observation o : observations) {
            if (o.stage().equals(Observation.SCREEN) && o.perplexity() != null && o.config().artifactLabel().equals(baseLabel)) {
                basePerplexity = o.perplexity().perplexity();
            }
        }
        for (SearchArtifact artifact : search.artifacts()) {
            List<String> broken = new ArrayList<>();
            Observation screened = observations.stream()
                    .filter(o -> o.stage().equals(Observation.SCREEN) && o.config().artifactLabel().equals(artifact.label()))
                    .findFirst().orElse(null);
            if (screened == null) {
                continue;
            }
            var figures = screened.perplexity();
            boolean base = artifact.label().equals(baseLabel);
            if (figures == null) {
                broken.add("its perplexity and KL divergence could not be measured (" + screened.status() + ")");
            } else {
                if (c.maxKlDivergence() != null && !base) {
                    Double kld = figures.klDivergenceMean();
                    if (kld == null || kld > c.maxKlDivergence()) {
                        broken.add(String.format(Locale.ROOT, "mean KL divergence %s > %s", kld == null ? "unknown" : fmt(kld),
                                fmt(c.maxKlDivergence())));
                    }
                }
                if (c.maxPerplexityIncreasePercent() != null && !base) {
                    Double increase = basePerplexity == null ? null : (figures.perplexity() - basePerplexity) / basePerplexity * 100;
                    if (increase == null || increase > c.maxPerplexityIncreasePercent()) {
                        broken.add(String.format(Locale.ROOT, "perplexity increase %s %% > %s %%",
                                increase == null ? "unknown" : fmt(increase), fmt(c.maxPerplexityIncreasePercent())));
                    }
                }
            }
            if (!broken.isEmpty()) {
                violations.put(artifact.label(), broken);
            }
        }
        return violations;
    }

    /** The constraints a trial broke: its artifact's, its TTFT and memory, and the judge's verdicts where it was judged. */
    public List<String> violations(Observation o, Map<String, List<String>> artifactViolations) {
        SearchConstraints c = search.constraints();
        List<String> broken = new ArrayList<>(artifactViolations.getOrDefault(o.config().artifactLabel(), List.of()));
        if (!"SUCCEEDED".equals(o.status())) {
            broken.add("the trial " + (o.status() == null ? "did not end" : o.status().toLowerCase(Locale.ROOT)));
            return broken;
        }
        if (c.maxTtftMillis() != null && o.ttftMillis() != null && o.ttftMillis() > c.maxTtftMillis()) {
            broken.add(String.format(Locale.ROOT, "TTFT p50 %.1f ms > %s ms", o.ttftMillis(), fmt(c.maxTtftMillis())));
        }
        if (Boolean.TRUE.equals(c.peakMemoryWithinDevice()) && o.peakMemoryBytes() != null && o.deviceMemoryBytes() != null
                && o.deviceMemoryBytes() > 0 && o.peakMemoryBytes() > o.deviceMemoryBytes()) {
            broken.add(String.format(Locale.ROOT, "peak memory %.0f MB > the device's %.0f MB", o.peakMemoryBytes() / 1048576.0,
                    o.deviceMemoryBytes() / 1048576.0));
        }
        if (c.maxJudgeLossUpper() != null && o.stage().equals(Observation.FINAL)) {
            if (o.judgeLoss() == null || o.judgeLoss().n() == 0) {
                if (!o.config().equals(search.baselineConfig())) {
                    broken.add("no judge verdicts against the baseline");
                }
            } else if (o.judgeLoss().high() > c.maxJudgeLossUpper()) {
                broken.add(String.format(Locale.ROOT, "judge loss rate's upper 95 %% bound %.1f %% > %.1f %%",
                        o.judgeLoss().high() * 100, c.maxJudgeLossUpper() * 100));
            }
        }
        return broken;
    }

    /**
     * The next {@code count} configurations to measure on the short workload, none measured before and none on an
     * artifact that broke a quality constraint.
     */
    public List<SearchConfig> propose(List<Observation> observations, Map<String, List<String>> artifactViolations, int count, long seed) {
        Random random = new Random(seed);
        Set<String> measured = new HashSet<>();
        observations.forEach(o -> measured.add(o.config().key()));
        List<SearchConfig> candidates = new ArrayList<>(candidates(observations, random).stream()
                .filter(c -> !measured.contains(c.key()) && !artifactViolations.containsKey(c.artifactLabel()))
                .toList());
        Collections.shuffle(candidates, random);
        List<Observation> training = shortFidelity(observations);
        List<SearchConfig> chosen = new ArrayList<>();
        if (training.size() < 2 || observations.stream().noneMatch(o -> o.stage().equals(Observation.EXPLORE))) {
            // Screening measured the baseline's flags only, so a process would know nothing of the flags yet.
            return covering(candidates, observations, count, screeningPrediction(training));
        }
        List<double[]> inputs = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Observation o : training) {
            inputs.add(encoder.encode(o.config()));
            double t = target(o.objective());
            targets.add(t);
            if (violations(o, artifactViolations).isEmpty()) {
                best = Math.max(best, t);
            }
        }
        if (best == Double.NEGATIVE_INFINITY) {
            best = targets.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
        GaussianProcess process = GaussianProcess.fit(inputs, targets);
        Feasibility feasibility = new Feasibility(training);
        while (chosen.size() < count && !candidates.isEmpty()) {
            SearchConfig next = null;
            double nextScore = Double.NEGATIVE_INFINITY;
            for (SearchConfig candidate : candidates) {
                double[] point = encoder.encode(candidate);
                double score = GaussianProcess.expectedImprovement(process.predict(point), best) * feasibility.probability(point);
                if (score > nextScore) {
                    nextScore = score;
                    next = candidate;
                }
            }
            chosen.add(next);
            candidates.remove(next);
            // Kriging believer: pretend the pick measured its predicted mean, so the next pick looks elsewhere.
            double[] point = encoder.encode(next);
            inputs.add(point);
            targets.add(process.predict(point).mean());
            process = GaussianProcess.fit(inputs, targets, process.hyper());
        }
        return chosen;
    }

    /**
     * The first exploration batch: the {@code count} candidates that together cover the most values and pairs of
     * values of the flags not yet measured together, so that every flag's effect and every two flags' interaction is
     * seen once before the process is asked (a covering array of strength 2; for three flags of two values, four
     * configurations cover all twelve pairs). Among the batches that cover as much, the one whose configurations the
     * screening predicts best (which puts them on the artifact it found fastest). All batches are tried where they
     * are few, else one candidate at a time.
     */
    List<SearchConfig> covering(List<SearchConfig> candidates, List<Observation> observations, int count,
                                ToDoubleFunction<SearchConfig> prior) {
        int size = Math.min(count, candidates.size());
        Set<String> seen = new HashSet<>();
        observations.forEach(o -> seen.addAll(flagValuePairs(o.config())));
        List<Set<String>> pairs = candidates.stream().map(this::flagValuePairs).map(p -> {
            Set<String> fresh = new HashSet<>(p);
            fresh.removeAll(seen);
            return fresh;
        }).toList();
        double[] score = candidates.stream().mapToDouble(prior).toArray();
        List<Integer> best = new ArrayList<>();
        if (subsets(candidates.size(), size) <= MAX_COVERING_SUBSETS) {
            int[] index = new int[size];
            for (int i = 0; i < size; i++) {
                index[i] = i;
            }
            int bestCovered = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            while (size > 0) {
                Set<String> covered = new HashSet<>();
                double total = 0;
                for (int i : index) {
                    covered.addAll(pairs.get(i));
                    total += score[i];
                }
                if (covered.size() > bestCovered || (covered.size() == bestCovered && total > bestScore + 1e-12)) {
                    bestCovered = covered.size();
                    bestScore = total;
                    best = Arrays.stream(index).boxed().toList();
                }
                int i = size - 1;
                while (i >= 0 && index[i] == candidates.size() - size + i) {
                    i--;
                }
                if (i < 0) {
                    break;
                }
                index[i]++;
                for (int j = i + 1; j < size; j++) {
                    index[j] = index[j - 1] + 1;
                }
            }
        } else {
            Set<String> covered = new HashSet<>();
            List<Integer> picked = new ArrayList<>();
            while (picked.size() < size) {
                int next = -1;
                int gain = -1;
                for (int i = 0; i < candidates.size(); i++) {
                    if (picked.contains(i)) {
                        continue;
                    }
                    Set<String> fresh = new HashSet<>(pairs.get(i));
                    fresh.removeAll(covered);
                    if (fresh.size() > gain || (fresh.size() == gain && score[i] > score[next] + 1e-12)) {
                        gain = fresh.size();
                        next = i;
                    }
                }
                picked.add(next);
                covered.addAll(pairs.get(next));
            }
            best = picked;
        }
        return best.stream().map(candidates::get).toList();
    }

    /** The screening's prediction of a configuration's oriented objective, from a process fitted to it; 0 without one. */
    private ToDoubleFunction<SearchConfig> screeningPrediction(List<Observation> training) {
        if (training.size() < 2) {
            return c -> 0.0;
        }
        GaussianProcess process = GaussianProcess.fit(training.stream().map(o -> encoder.encode(o.config())).toList(),
                training.stream().map(o -> target(o.objective())).toList());
        return c -> process.predict(encoder.encode(c)).mean();
    }

    /** A configuration's flag values and pairs of them, as "flag=value" and "flag=value|flag=value"; unset is a value too. */
    private Set<String> flagValuePairs(SearchConfig config) {
        List<String> values = new ArrayList<>();
        for (FlagAxis axis : search.axes()) {
            Object value = config.flags().get(axis.flag());
            values.add(axis.flag() + "=" + (config.flags().containsKey(axis.flag()) ? String.valueOf(value) : "(unset)"));
        }
        Set<String> pairs = new HashSet<>(values);
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < values.size(); j++) {
                pairs.add(values.get(i) + "|" + values.get(j));
            }
        }
        return pairs;
    }

    private static long subsets(int n, int k) {
        long result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
            if (result > MAX_COVERING_SUBSETS) {
                return result;
            }
        }
        return result;
    }

    /**
     * The survivors of the short workload: the {@code count} feasible measured configurations with the best predicted
     * objective (the process smooths one lucky measurement), the baseline excluded (it is measured beside them anyway).
     */
    public List<SearchConfig> finalists(List<Observation> observations, Map<String, List<String>> artifactViolations, int count) {
        List<Observation> training = shortFidelity(observations);
        Map<String, SearchConfig> feasible = new LinkedHashMap<>();
        for (Observation o : training) {
            if (violations(o, artifactViolations).isEmpty() && !o.config().equals(search.baselineConfig())) {
                feasible.putIfAbsent(o.config().key(), o.config());
            }
        }
        if (feasible.isEmpty()) {
            return List.of();
        }
        List<double[]> inputs = training.stream().map(o -> encoder.encode(o.config())).toList();
        List<Double> targets = training.stream().map(o -> target(o.objective())).toList();
        GaussianProcess process = training.size() >= 2 ? GaussianProcess.fit(inputs, targets) : null;
        Map<String, Double> score = new LinkedHashMap<>();
        for (SearchConfig config : feasible.values()) {
            score.put(config.key(), process == null ? targets.getFirst() : process.predict(encoder.encode(config)).mean());
        }
        return feasible.values().stream()
                .sorted(Comparator.comparingDouble((SearchConfig c) -> score.get(c.key())).reversed())
                .limit(count).toList();
    }

    /** The successful short-workload measurements (screening and exploration). */
    static List<Observation> shortFidelity(List<Observation> observations) {
        return observations.stream().filter(o -> !o.stage().equals(Observation.FINAL) && o.succeeded()).toList();
    }

    /** Every configuration of a small space; a sample plus one-flag neighbours of the best measured ones for a large one. */
    private List<SearchConfig> candidates(List<Observation> observations, Random random) {
        if (search.spaceSize() <= MAX_CANDIDATES) {
            return search.enumerate();
        }
        List<SearchConfig> sample = new ArrayList<>();
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            LinkedHashMap<String, Object> flags = new LinkedHashMap<>();
            for (FlagAxis axis : search.axes()) {
                flags.put(axis.flag(), axis.values().get(random.nextInt(axis.values().size())));
            }
            sample.add(search.artifacts().get(random.nextInt(search.artifacts().size())).with(flags));
        }
        shortFidelity(observations).stream()
                .sorted(Comparator.comparingDouble((Observation o) -> target(o.objective())).reversed())
                .limit(5)
                .forEach(o -> sample.addAll(neighbours(o.config())));
        return sample;
    }

    private List<SearchConfig> neighbours(SearchConfig config) {
        List<SearchConfig> neighbours = new ArrayList<>();
        for (FlagAxis axis : search.axes()) {
            for (Object value : axis.values()) {
                LinkedHashMap<String, Object> flags = new LinkedHashMap<>();
                for (FlagAxis a : search.axes()) {
                    flags.put(a.flag(), a == axis ? value : config.flags().getOrDefault(a.flag(), a.values().getFirst()));
                }
                neighbours.add(new SearchConfig(config.model(), config.quantization(), config.pruneLayers(), flags));
            }
        }
        return neighbours;
    }

    /** The probability that a configuration meets the measured constraints (TTFT, memory), from a process of each. */
    private final class Feasibility {
        private GaussianProcess ttft;
        private double ttftLimit;
        private GaussianProcess memory;

        Feasibility(List<Observation> training) {
            SearchConstraints c = search.constraints();
            if (c.maxTtftMillis() != null) {
                List<Observation> with = training.stream().filter(o -> o.ttftMillis() != null && o.ttftMillis() > 0).toList();
                if (with.size() >= 2) {
                    ttft = GaussianProcess.fit(with.stream().map(o -> encoder.encode(o.config())).toList(),
                            with.stream().map(o -> Math.log(o.ttftMillis())).toList());
                    ttftLimit = Math.log(c.maxTtftMillis());
                }
            }
            if (Boolean.TRUE.equals(c.peakMemoryWithinDevice())) {
                List<Observation> with = training.stream().filter(o -> o.peakMemoryBytes() != null && o.deviceMemoryBytes() != null
                        && o.peakMemoryBytes() > 0 && o.deviceMemoryBytes() > 0).toList();
                if (with.size() >= 2) {
                    memory = GaussianProcess.fit(with.stream().map(o -> encoder.encode(o.config())).toList(),
                            with.stream().map(o -> Math.log((double) o.peakMemoryBytes() / o.deviceMemoryBytes())).toList());
                }
            }
        }

        double probability(double[] point) {
            double p = 1.0;
            if (ttft != null) {
                p *= GaussianProcess.probabilityBelow(ttft.predict(point), ttftLimit);
            }
            if (memory != null) {
                p *= GaussianProcess.probabilityBelow(memory.predict(point), 0.0);
            }
            return p;
        }
    }

    static String fmt(double value) {
        return Math.abs(value) >= 0.01 || value == 0 ? String.format(Locale.ROOT, "%.4g", value) : String.format(Locale.ROOT, "%.3e", value);
    }
}
