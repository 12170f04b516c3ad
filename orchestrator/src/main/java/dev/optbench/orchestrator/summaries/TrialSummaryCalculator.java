package dev.optbench.orchestrator.summaries;

import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.PerplexityFigures;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.Score;
import dev.optbench.contracts.search.Roofline;
import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.QualityAggregation;
import dev.optbench.contracts.summary.QualitySummary;
import dev.optbench.contracts.summary.RoundFigure;
import dev.optbench.contracts.summary.TrialSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Computes a trial's {@link TrialSummary} from its samples, per-trial measurements and scores. Pure: the same
 * inputs give the same summary. Failed requests (samples with an error) are left out of every distribution.
 * Medians are the headline figures; tokens/s are the producing side's own rates, so a shorter answer is not
 * "faster".
 */
public final class TrialSummaryCalculator {
    private static final double MEBIBYTE = 1024.0 * 1024.0;

    private TrialSummaryCalculator() {
    }

    /** What the summary says about the trial besides its samples and scores. */
    public record TrialFacts(
            UUID trialId,
            UUID variantId,
            String variantName,
            boolean baseline,
            UUID artifactId,
            String artifactLabel,
            String label,
            String status,
            String reason,
            UUID referenceTrialId,
            Long loadMillis,
            Sample coldGeneration,
            Long peakRssBytes,
            Long peakGpuMemoryBytes,
            Long modelSizeBytes,
            PerplexityFigures perplexity,
            RooflineInputs roofline) {

        public TrialFacts(UUID trialId, UUID variantId, String variantName, boolean baseline, UUID artifactId, String artifactLabel,
                          String label, String status, String reason, UUID referenceTrialId, Long loadMillis, Sample coldGeneration,
                          Long peakRssBytes, Long peakGpuMemoryBytes, Long modelSizeBytes, PerplexityFigures perplexity) {
            this(trialId, variantId, variantName, baseline, artifactId, artifactLabel, label, status, reason, referenceTrialId,
                    loadMillis, coldGeneration, peakRssBytes, peakGpuMemoryBytes, modelSizeBytes, perplexity, null);
        }
    }

    /**
     * What the memory-bandwidth bound of a trial's decoding needs: where it ran, its argv (cache types) and what its
     * artifact reads per token.
     */
    public record RooflineInputs(Environment environment, List<String> argv, Long decodeWeightBytes, Long kvBytesPerPosition) {
    }

    /**
     * @param referenceFigures the reference trial's {@code figures}, or null when there is none (yet)
     */
    public static TrialSummary summarise(TrialFacts facts, List<Sample> samples, Collection<Score> scores, Map<String, Double> referenceFigures) {
        List<Sample> answered = samples.stream().filter(s -> s.error() == null).toList();
        Distribution latency = describe(answered, s -> s.latencyMillis());
        Distribution ttft = describe(answered, s -> s.ttftMillis());
        Distribution interToken = describe(answered, Sample::interTokenMillisMean);
        Distribution generation = describe(answered, Sample::generationTokensPerSecond);
        Distribution serverGeneration = describe(answered, Sample::serverGenerationTokensPerSecond);
        Distribution prompt = describe(answered, Sample::serverPromptTokensPerSecond);
        QualitySummary quality = scores.isEmpty() && facts.perplexity() == null ? null : QualityAggregation.of(scores, facts.perplexity());
        List<RoundFigure> rounds = rounds(answered);
        double[] roundNumbers = new double[rounds.size()];
        double[] roundLatencies = new double[rounds.size()];
        for (int i = 0; i < rounds.size(); i++) {
            roundNumbers[i] = rounds.get(i).round();
            roundLatencies[i] = rounds.get(i).latencyMillisP50();
        }
        Double slope = Statistics.slope(roundNumbers, roundLatencies);
        Double cold = facts.coldGeneration() == null ? null
                : firstNonNull(facts.coldGeneration().generationTokensPerSecond(), facts.coldGeneration().serverGenerationTokensPerSecond());

        Map<String, Double> figures = new LinkedHashMap<>();
        put(figures, Metric.LATENCY_P50, median(latency));
        put(figures, Metric.LATENCY_P95, latency == null ? null : latency.p95());
        put(figures, Metric.LATENCY_P99, latency == null ? null : latency.p99());
        put(figures, Metric.TTFT_P50, median(ttft));
        put(figures, Metric.TTFT_P95, ttft == null ? null : ttft.p95());
        put(figures, Metric.GENERATION_TOKENS_PER_SECOND, median(generation != null ? generation : serverGeneration));
        put(figures, Metric.PROMPT_TOKENS_PER_SECOND, median(prompt));
        put(figures, Metric.LOAD_MILLIS, facts.loadMillis() == null ? null : facts.loadMillis().doubleValue());
        put(figures, Metric.COLD_GENERATION_TOKENS_PER_SECOND, cold);
        put(figures, Metric.PEAK_RSS_MB, mebibytes(facts.peakRssBytes()));
        put(figures, Metric.PEAK_GPU_MEMORY_MB, mebibytes(facts.peakGpuMemoryBytes()));
        put(figures, Metric.MODEL_SIZE_MB, mebibytes(facts.modelSizeBytes()));
        put(figures, Metric.ROOFLINE_SHARE, rooflineSharePercent(facts.roofline(), answered, median(generation)));
        putQuality(figures, quality);

        return new TrialSummary(facts.trialId(), facts.variantId(), facts.variantName(), facts.baseline(), facts.artifactId(),
                facts.artifactLabel(), facts.label(), facts.status(), facts.reason(), facts.referenceTrialId(), answered.size(),
                latency, ttft, interToken, generation, serverGeneration, prompt, facts.loadMillis(), cold,
                facts.peakRssBytes(), facts.peakGpuMemoryBytes(), facts.modelSizeBytes(), quality, rounds, slope,
                figures, changes(figures, facts.referenceTrialId() == null ? null : referenceFigures));
    }

    /** The summary with new quality figures (scores arrived), its changes against the reference recomputed. */
    public static TrialSummary withQuality(TrialSummary summary, QualitySummary quality, Map<String, Double> referenceFigures) {
        Map<String, Double> figures = new LinkedHashMap<>(summary.figures());
        for (Metric metric : List.of(Metric.JUDGE_WIN_RATE, Metric.JUDGE_LOSS_RATE, Metric.RUBRIC_GRADE,
                Metric.REFERENCE_ACCURACY, Metric.PERPLEXITY, Metric.KL_DIVERGENCE)) {
            figures.remove(metric.key);
        }
        putQuality(figures, quality);
        return copy(summary, quality, figures, changes(figures, summary.referenceTrialId() == null ? null : referenceFigures));
    }

    /** The summary with its changes against the reference recomputed (the reference's figures changed). */
    public static TrialSummary withReference(TrialSummary summary, Map<String, Double> referenceFigures) {
        return copy(summary, summary.quality(), summary.figures(),
                changes(summary.figures(), summary.referenceTrialId() == null ? null : referenceFigures));
    }

    /**
     * Generation tok/s as a share, in percent, of the bandwidth bound at the trial's mean context (each answer's prompt
     * plus half its length); null when the worker announced no bandwidth or the artifact's bytes are unknown.
     */
    static Double rooflineSharePercent(RooflineInputs inputs, List<Sample> answered, Double tokensPerSecond) {
        if (inputs == null || tokensPerSecond == null || answered.isEmpty()) {
            return null;
        }
        double meanContext = answered.stream().mapToDouble(s -> s.promptTokens() + s.completionTokens() / 2.0).average().orElse(0);
        Double bound = Roofline.boundTokensPerSecond(inputs.environment(), inputs.argv(), inputs.decodeWeightBytes(),
                inputs.kvBytesPerPosition(), meanContext);
        return bound == null ? null : tokensPerSecond / bound * 100.0;
    }

    static Map<String, Change> changes(Map<String, Double> figures, Map<String, Double> reference) {
        Map<String, Change> changes = new LinkedHashMap<>();
        if (reference == null) {
            return changes;
        }
        for (Metric metric : Metric.values()) {
            Change change = Change.of(metric, reference.get(metric.key), figures.get(metric.key));
            if (change != null) {
                changes.put(metric.key, change);
            }
        }
        return changes;
    }

    private static List<RoundFigure> rounds(List<Sample> samples) {
        Map<Integer, List<Sample>> byRound = new TreeMap<>();
        samples.forEach(s -> byRound.computeIfAbsent(s.round(), r -> new ArrayList<>()).add(s));
        List<RoundFigure> rounds = new ArrayList<>();
        byRound.forEach((round, ofRound) -> rounds.add(new RoundFigure(round, ofRound.size(),
                describe(ofRound, s -> s.latencyMillis()).p50(),
                describe(ofRound, s -> s.ttftMillis()).p50(),
                describe(ofRound, s -> (double) s.promptTokens()).p50())));
        return rounds;
    }

    private static void putQuality(Map<String, Double> figures, QualitySummary quality) {
        if (quality == null) {
            return;
        }
        put(figures, Metric.JUDGE_WIN_RATE, quality.judgeWin() == null ? null : quality.judgeWin().rate() * 100);
        put(figures, Metric.JUDGE_LOSS_RATE, quality.judgeLoss() == null ? null : quality.judgeLoss().rate() * 100);
        put(figures, Metric.RUBRIC_GRADE, quality.rubricGrade() == null ? null : quality.rubricGrade().estimate());
        put(figures, Metric.REFERENCE_ACCURACY, quality.referenceAccuracy() == null ? null : quality.referenceAccuracy().rate() * 100);
        put(figures, Metric.PERPLEXITY, quality.perplexity());
        put(figures, Metric.KL_DIVERGENCE, quality.klDivergenceMean());
    }

    private static TrialSummary copy(TrialSummary s, QualitySummary quality, Map<String, Double> figures, Map<String, Change> changes) {
        return new TrialSummary(s.trialId(), s.variantId(), s.variantName(), s.baseline(), s.artifactId(), s.artifactLabel(),
                s.label(), s.status(), s.reason(), s.referenceTrialId(), s.samples(), s.latencyMillis(), s.ttftMillis(),
                s.interTokenMillis(), s.generationTokensPerSecond(), s.serverGenerationTokensPerSecond(),
                s.promptTokensPerSecond(), s.loadMillis(), s.coldGenerationTokensPerSecond(), s.peakRssBytes(),
                s.peakGpuMemoryBytes(), s.modelSizeBytes(), quality, s.rounds(), s.roundLatencySlopeMillis(), figures, changes);
    }

    private static Distribution describe(List<Sample> samples, Function<Sample, Double> value) {
        double[] values = new double[samples.size()];
        int n = 0;
        for (Sample sample : samples) {
            Double v = value.apply(sample);
            if (v != null) {
                values[n++] = v;
            }
        }
        return Statistics.describe(java.util.Arrays.copyOf(values, n));
    }

    private static void put(Map<String, Double> figures, Metric metric, Double value) {
        if (value != null && !value.isNaN()) {
            figures.put(metric.key, value);
        }
    }

    private static Double median(Distribution distribution) {
        return distribution == null ? null : distribution.p50();
    }

    private static Double mebibytes(Long bytes) {
        return bytes == null ? null : bytes / MEBIBYTE;
    }

    private static Double firstNonNull(Double a, Double b) {
        return a != null ? a : b;
    }
}
