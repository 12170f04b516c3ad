package dev.optbench.bench.platform;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.TrialResult;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.orchestrator.summaries.TrialSummaryCalculator;
import dev.optbench.viz.charts.ChartInput;
import dev.optbench.viz.charts.ChartOptions;
import dev.optbench.viz.charts.ChartSeries;
import dev.optbench.viz.charts.ComparisonChart;
import dev.optbench.viz.charts.FigureWriter;
import dev.optbench.viz.charts.VariantColours;
import dev.optbench.viz.runs.TrialView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Section 7, JMH: the in-process work behind the system figures, without HTTP, Kafka or PostgreSQL. Reading one
 * sample chunk (what ingestion does per message), summarising a trial of 1,000 samples (what ingestion does per
 * finished trial) and drawing the comparison chart of 100 variants as PNG (what the chart request does after its
 * one query).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPaths {
    private static final int VARIANTS = 100;
    private static final int SAMPLES = 1000;

    private String chunkJson;
    private TrialSummaryCalculator.TrialFacts facts;
    private List<Sample> trialSamples;
    private ChartInput chart;
    private final ChartOptions chartOptions = new ChartOptions(null, null, null, null, null, 24);

    @Setup
    public void prepare() {
        GeneratedLoad load = new GeneratedLoad(42);
        UUID runId = UUID.randomUUID();
        chunkJson = Messages.toJson(load.chunks(runId, UUID.randomUUID(), 10, 5, 1, 50).getFirst());
        List<TrialView> trials = new ArrayList<>();
        Map<String, Double> reference = null;
        UUID referenceTrial = null;
        for (int v = 0; v < VARIANTS; v++) {
            UUID trialId = UUID.randomUUID();
            List<Sample> samples = load.chunks(runId, trialId, 10, 5, SAMPLES / 50, SAMPLES).getFirst().samples();
            String name = v == 0 ? "Baseline" : "v" + v;
            TrialSummaryCalculator.TrialFacts trialFacts = new TrialSummaryCalculator.TrialFacts(trialId, UUID.randomUUID(), name, v == 0,
                    UUID.randomUUID(), "synthetic:tiny", name, "SUCCEEDED", null, referenceTrial, 900L, null, 300L << 20, null, 42L << 20, null);
            TrialSummary summary = TrialSummaryCalculator.summarise(trialFacts, samples, List.of(), reference);
            if (v == 0) {
                facts = trialFacts;
                trialSamples = samples;
                reference = summary.figures();
                referenceTrial = trialId;
            }
            trials.add(new TrialView(trialId, runId, "bench", "bench", Instant.now(), trialFacts.variantId(), v, name, v == 0, Map.of(),
                    trialFacts.artifactId(), 0, "synthetic:tiny", null, 0, "SUCCEEDED", null, SAMPLES, SAMPLES, 1, "bench", null, null,
                    null, List.of(), 900L, 300L << 20, null, Instant.now(), Instant.now(), summary, Instant.now()));
        }
        VariantColours colours = VariantColours.assign(trials);
        List<ChartSeries> series = trials.stream()
                .map(t -> new ChartSeries(t.label(), colours.colour(t.trialId()), colours.isReference(t.trialId()), t)).toList();
        chart = new ChartInput("Run bench · synthetic:tiny · pool bench", series, true, List.of());
    }

    @Benchmark
    public TrialResult readSampleChunkOf50() {
        return Messages.fromJson(chunkJson, TrialResult.class);
    }

    @Benchmark
    public TrialSummary summariseTrialOf1000Samples() {
        Collection<dev.optbench.contracts.messages.Score> none = List.of();
        return TrialSummaryCalculator.summarise(facts, trialSamples, none, null);
    }

    @Benchmark
    public byte[] comparisonChartOf100VariantsAsPng() {
        return FigureWriter.png(new ComparisonChart().build(chart, chartOptions), 150);
    }

    /** Runs the benchmarks above in forked JVMs; one figure per benchmark, its repetitions being JMH's iterations. */
    static List<Figure> run(boolean shortForm) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(HotPaths.class.getName() + "\\.").forks(1)
                .jvmArgsAppend("-Xmx512m", "-Djava.awt.headless=true");
        if (shortForm) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(500)).measurementIterations(2).measurementTime(TimeValue.milliseconds(500));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        List<Figure> figures = new ArrayList<>();
        for (RunResult result : new Runner(options.build()).run()) {
            String benchmark = result.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            figures.add(Figure.info(7, "JMH `" + name + "` (average time per operation; n = iterations)", result.getPrimaryResult().getScoreUnit(),
                    scores.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return figures;
    }
}
