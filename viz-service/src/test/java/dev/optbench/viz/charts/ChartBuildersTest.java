package dev.optbench.viz.charts;

import static dev.optbench.testsupport.ChartImages.parseSvg;
import static dev.optbench.testsupport.ChartImages.readPng;
import static dev.optbench.testsupport.ChartImages.svgText;
import static dev.optbench.viz.charts.ChartTestSupport.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.summary.Metric;
import dev.optbench.testsupport.ChartImages;
import dev.optbench.viz.RunFixture;
import dev.optbench.viz.runs.HistoryPoint;
import dev.optbench.viz.runs.TrialView;
import java.awt.Color;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ChartBuildersTest {
    private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
    private static final ChartOptions DEFAULTS = new ChartOptions(null, null, null, null, null, 24);
    private static final Map<ChartKind, ChartBuilder> BUILDERS = Map.of(
            ChartKind.COMPARISON, new ComparisonChart(), ChartKind.ROUNDS, new RoundImpactChart(),
            ChartKind.ABLATION, new AblationChart(), ChartKind.PARETO, new ParetoChart(),
            ChartKind.SUMMARY, new SummaryTable(), ChartKind.PROGRESS, new ProgressChart(),
            ChartKind.HISTORY, new HistoryChart());

    private final RunFixture run = RunFixture.standard("tuning", "cpu", CREATED, "de3ff81", 1.0);

    private Figure draw(ChartKind kind, ChartOptions options) {
        return BUILDERS.get(kind).build(input(run, history()), options);
    }

    private List<HistoryPoint> history() {
        List<HistoryPoint> points = new ArrayList<>();
        for (TrialView trial : run.trials) {
            if (trial.summarised()) {
                points.add(new HistoryPoint(trial.trialId(), java.util.UUID.randomUUID(), "older", CREATED.minusSeconds(86_400),
                        trial.figure(Metric.GENERATION_TOKENS_PER_SECOND) * 0.8, "0.4.0", "abc1234"));
                points.add(new HistoryPoint(trial.trialId(), run.runId, run.name, CREATED,
                        trial.figure(Metric.GENERATION_TOKENS_PER_SECOND), "0.5.0-dev", "de3ff81"));
            }
        }
        return points;
    }

    @ParameterizedTest
    @EnumSource(ChartKind.class)
    void everyChartIsAPngOfTheAskedResolution(ChartKind kind) throws Exception {
        Figure figure = draw(kind, DEFAULTS);
        ChartImages.Png normal = readPng(FigureWriter.png(figure, 150));
        ChartImages.Png print = readPng(FigureWriter.png(figure, 300));
        assertEquals(150, normal.dotsPerInch());
        assertEquals(300, print.dotsPerInch());
        assertEquals(Math.round(figure.width() * 150 / 96.0), normal.image().getWidth());
        assertEquals(Math.round(figure.height() * 150 / 96.0), normal.image().getHeight());
        assertEquals(2 * normal.image().getWidth(), print.image().getWidth(), 1);
        assertEquals(2 * normal.image().getHeight(), print.image().getHeight(), 1);
        assertTrue(distinctColours(normal) > 8, kind + " is not a blank picture");
    }

    @ParameterizedTest
    @EnumSource(ChartKind.class)
    void everyChartIsAnSvgOfTheFiguresSizeWithTheBaselineAndEveryVariant(ChartKind kind) throws Exception {
        Figure figure = draw(kind, DEFAULTS);
        String svg = FigureWriter.svg(figure);
        Document document = parseSvg(svg);
        assertEquals(new ChartImages.SvgSize(figure.width(), figure.height()), ChartImages.svgSize(document),
                kind + " is an SVG of the figure's size in CSS pixels");
        List<String> variants = ChartTestSupport.variantTexts(run, kind);
        assertTrue(variants.size() >= 4, kind + ": the fixture has the baseline and at least three variants to draw");
        for (String variant : variants) {
            assertTrue(ChartImages.shows(document, variant), kind + " names " + variant + ":\n" + svgText(document));
        }
        assertTrue(svgText(document).contains("baseline"), kind + " draws the baseline");
        assertTrue(svg.contains("rgb(214,39,40)") || svg.contains("#d62728"), kind + " draws the baseline in red");
    }

    @Test
    void comparisonShowsEverySummarisedVariantInItsPanels() {
        Figure figure = draw(ChartKind.COMPARISON, DEFAULTS);
        assertEquals(List.of("label", "variant", "baseline", "latencyMillisP50", "generationTokensPerSecond",
                "rubricGrade", "peakRssMb"), figure.data().columns());
        assertEquals(List.of("baseline", "flash-attn", "kv-q8", "ctx-512", "ctx-1024", "ctx-2048"),
                figure.data().records().stream().map(row -> row.get("label")).toList());
    }

    @Test
    void comparisonLeavesOutPanelsWithoutData() {
        RunFixture bare = new RunFixture("bare", "cpu", CREATED, "model.gguf");
        bare.succeeded("baseline", true, List.of(), Map.of(), RunFixture.Figures.of(400, 20));
        bare.succeeded("fast", false, List.of(), Map.of(), RunFixture.Figures.of(300, 30));
        Figure figure = new ComparisonChart().build(input(bare, List.of()), DEFAULTS);
        assertEquals(List.of("label", "variant", "baseline", "latencyMillisP50", "generationTokensPerSecond"),
                figure.data().columns());
        assertEquals(List.of(Metric.LATENCY_P50, Metric.GENERATION_TOKENS_PER_SECOND),
                ComparisonChart.panels(input(bare, List.of()).series()));
    }

    @Test
    void coloursStayWithTheirTrialsAndTheBaselineIsRed() {
        VariantColours all = VariantColours.assign(run.trials);
        List<TrialView> reordered = new ArrayList<>(run.trials);
        TrialView baseline = reordered.removeFirst();
        reordered.add(baseline);
        assertEquals(VariantColours.BASELINE, all.colour(baseline.trialId()));
        assertEquals(VariantColours.BASELINE, VariantColours.assign(reordered).colour(baseline.trialId()),
                "the baseline is red wherever it stands");
        assertEquals(all.colour(run.trials.get(2).trialId()), VariantColours.assign(run.trials).colour(run.trials.get(2).trialId()));
        Set<Color> colours = new HashSet<>();
        run.trials.forEach(t -> colours.add(all.colour(t.trialId())));
        assertEquals(run.trials.size(), colours.size(), "every trial has its own colour");
        Set<Color> many = new HashSet<>();
        for (int i = 0; i < 36; i++) {
            many.add(VariantColours.variant(i));
        }
        assertEquals(36, many.size(), "36 variants still get 36 colours");
        assertFalse(many.contains(VariantColours.BASELINE));
    }

    @Test
    void paretoFrontKeepsOnlyTheNonDominatedVariants() {
        Figure figure = draw(ChartKind.PARETO, DEFAULTS);
        List<Object> front = figure.data().records().stream().filter(row -> (Boolean) row.get("nonDominated"))
                .map(row -> row.get("label")).toList();
        assertEquals(List.of("flash-attn", "ctx-2048"), front);
        assertTrue(figure.data().columns().contains("judgeWinRate"), "judge win rate is the default quality");
    }

    @Test
    void paretoFrontFollowsEachFiguresBetterDirection() {
        double[] throughput = {10, 20, 30, 30, 5};
        double[] divergence = {0.01, 0.05, 0.2, 0.3, 0.01};
        assertEquals(List.of(0, 1, 2), ParetoFront.of(throughput, divergence, true, false));
        double[] winRate = {10, 50, 20, 60, 5};
        assertEquals(List.of(3), ParetoFront.of(new double[] {1, 2, 3, 4, 0}, winRate, true, true));
        assertEquals(List.of(0, 1), ParetoFront.of(new double[] {1, 1}, new double[] {2, 2}, true, true),
                "equal points are both kept");
    }

    @Test
    void ablationStarsTheBestPointInTheMetricsDirection() {
        Figure byThroughput = draw(ChartKind.ABLATION, DEFAULTS);
        assertEquals(List.of("1024"), best(byThroughput));
        assertEquals(3, byThroughput.data().size());
        assertEquals("--ctx-size", byThroughput.data().records().getFirst().get("axis"));
        assertEquals("--batch-size 256", byThroughput.data().records().getFirst().get("group"));
        Figure byLatency = draw(ChartKind.ABLATION, new ChartOptions(Metric.LATENCY_P50, Metric.PEAK_RSS_MB,
                "--ctx-size", null, null, 24));
        assertEquals(List.of("512"), best(byLatency), "lower latency is better");
        assertTrue(byLatency.data().columns().contains("peakRssMb"), "the second axis' figure is in the data");
    }

    @Test
    void ablationRefusesAFlagThatWasNotSwept() {
        ChartRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(ChartRequestException.class,
                () -> draw(ChartKind.ABLATION, new ChartOptions(null, null, "--threads", null, null, 24)));
        assertEquals("axis", refused.field());
    }

    @Test
    void roundImpactPutsTheFlattestVariantFirstInTheLegend() throws Exception {
        String text = svgText(parseSvg(FigureWriter.svg(draw(ChartKind.ROUNDS, DEFAULTS))));
        assertTrue(text.contains("flash-attn: latency +10.0 ms/round"), text);
        assertTrue(text.indexOf("flash-attn: latency") < text.indexOf("baseline: latency"), "flattest first");
        assertTrue(text.contains("(flattest)"));
    }

    @Test
    void progressGivesEachVariantsShareOfTheTarget() throws Exception {
        Figure figure = draw(ChartKind.PROGRESS, new ChartOptions(null, null, null, null, 40.0, 24));
        Map<String, Object> flash = figure.data().records().stream().filter(r -> r.get("label").equals("flash-attn"))
                .findFirst().orElseThrow();
        assertEquals(65.0, (Double) flash.get("percentOfTarget"), 1e-9);
        String text = svgText(parseSvg(FigureWriter.svg(figure)));
        assertTrue(text.contains("target 40 tok/s"), text);
    }

    @Test
    void summaryTableColoursBetterGreenAndWorseRed() throws Exception {
        String svg = FigureWriter.svg(draw(ChartKind.SUMMARY, DEFAULTS));
        String text = svgText(parseSvg(svg));
        assertTrue(text.contains("-25.0 %"), "flash-attn's latency change is in the table");
        assertTrue(svg.contains("rgb(26,127,55)"), "a better change is green");
        assertTrue(svg.contains("rgb(198,40,40)"), "a worse change is red");
    }

    @Test
    void qualityChartsOfTheGeneratedModelSayTheirScoresMeanNothing() throws Exception {
        assertTrue(svgText(parseSvg(FigureWriter.svg(draw(ChartKind.PARETO, DEFAULTS)))).contains("quality scores mean nothing"));
        assertFalse(svgText(parseSvg(FigureWriter.svg(draw(ChartKind.PROGRESS, DEFAULTS)))).contains("quality scores mean nothing"),
                "a throughput chart carries no quality warning");
    }

    @Test
    void historyMarksWhereTheLlamaCppBuildChanged() throws Exception {
        Figure figure = draw(ChartKind.HISTORY, DEFAULTS);
        assertEquals(12, figure.data().size());
        String text = svgText(parseSvg(FigureWriter.svg(figure)));
        assertTrue(text.contains("llama.cpp de3ff81"), "the run with the new build is marked: " + text);
        assertFalse(text.contains("llama.cpp abc1234"), "the first build is no change");
    }

    @Test
    void aLegendWithTooManyEntriesSaysHowToChoose() throws Exception {
        Figure figure = draw(ChartKind.COMPARISON, new ChartOptions(null, null, null, null, null, 3));
        String text = svgText(parseSvg(FigureWriter.svg(figure)));
        assertTrue(text.contains("and 4 more (choose with variants=)"), text);
    }

    private static List<Object> best(Figure figure) {
        return figure.data().records().stream().filter(row -> (Boolean) row.get("best")).map(row -> row.get("axisValue")).toList();
    }

    private static int distinctColours(ChartImages.Png png) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < png.image().getHeight(); y += 7) {
            for (int x = 0; x < png.image().getWidth(); x += 7) {
                colours.add(png.image().getRGB(x, y));
            }
        }
        return colours.size();
    }
}
