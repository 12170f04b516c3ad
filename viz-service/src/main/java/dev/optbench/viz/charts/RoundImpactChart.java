package dev.optbench.viz.charts;

import dev.optbench.contracts.stats.Statistics;
import dev.optbench.contracts.summary.RoundFigure;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Latency and time to first token against the conversation round, one line per variant. The context grows
 * every round; the legend gives each variant's fitted slope, flattest first, because the flattest line is the
 * variant that escapes the memory bottleneck.
 */
public final class RoundImpactChart implements ChartBuilder {

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        List<ChartSeries> series = input.series().stream()
                .filter(s -> s.summary().rounds() != null && s.summary().rounds().size() > 1)
                .toList();
        XYSeriesCollection latency = new XYSeriesCollection();
        XYSeriesCollection ttft = new XYSeriesCollection();
        Map<ChartSeries, Double> ttftSlopes = new HashMap<>();
        DataTable data = new DataTable("label", "variant", "baseline", "round", "latencyMillisP50", "ttftMillisP50",
                "promptTokensP50", "samples", "latencySlopeMillisPerRound", "ttftSlopeMillisPerRound");
        for (ChartSeries s : series) {
            List<RoundFigure> rounds = s.summary().rounds();
            XYSeries latencyLine = new XYSeries(s.label());
            XYSeries ttftLine = new XYSeries(s.label());
            double[] x = new double[rounds.size()];
            double[] y = new double[rounds.size()];
            for (int i = 0; i < rounds.size(); i++) {
                RoundFigure round = rounds.get(i);
                latencyLine.add(displayed(round), round.latencyMillisP50());
                ttftLine.add(displayed(round), round.ttftMillisP50());
                x[i] = round.round();
                y[i] = round.ttftMillisP50();
            }
            latency.addSeries(latencyLine);
            ttft.addSeries(ttftLine);
            Double ttftSlope = Statistics.slope(x, y);
            ttftSlopes.put(s, ttftSlope);
            for (RoundFigure round : rounds) {
                data.add(s.label(), s.trial().variantName(), s.reference(), displayed(round), round.latencyMillisP50(),
                        round.ttftMillisP50(), round.promptTokensP50(), round.n(), s.summary().roundLatencySlopeMillis(),
                        ttftSlope);
            }
        }
        NumberAxis roundAxis = new NumberAxis("Conversation round");
        roundAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        roundAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(roundAxis);
        plot.setGap(16);
        plot.add(panel(latency, "Latency p50 (ms)", series), 1);
        plot.add(panel(ttft, "TTFT p50 (ms)", series), 1);
        ChartStyle.style(plot);
        List<String> notes = series.isEmpty()
                ? List.of("No finished trial has a conversation of more than one round.")
                : List.of("Medians per round; slope fitted by least squares, flattest first");
        JFreeChart chart = ChartStyle.chart("Round impact", plot, input, false, notes);
        List<ChartSeries> flattestFirst = series.stream()
                .sorted(Comparator.comparing(s -> slopeOrMax(s.summary().roundLatencySlopeMillis())))
                .toList();
        ChartStyle.legend(chart, ChartStyle.legendItems(flattestFirst, options.legendMaxEntries(),
                s -> legendText(s, ttftSlopes.get(s), s == flattestFirst.getFirst()), true));
        int legendRows = (Math.min(series.size(), options.legendMaxEntries()) + 1) / 2;
        return new Figure(chart, 1000, 680 + legendRows * 20, data);
    }

    // Rounds are stored from 0 (the first user turn); people count them from 1.
    private static int displayed(RoundFigure round) {
        return round.round() + 1;
    }

    private static XYPlot panel(XYSeriesCollection dataset, String title, List<ChartSeries> series) {
        NumberAxis axis = new NumberAxis(title);
        axis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, series.get(i).colour());
            renderer.setSeriesStroke(i, ChartStyle.LINE);
            renderer.setSeriesShape(i, ChartStyle.POINT);
        }
        XYPlot plot = new XYPlot(dataset, null, axis, renderer);
        ChartStyle.style(plot);
        return plot;
    }

    private static String legendText(ChartSeries s, Double ttftSlope, boolean flattest) {
        StringBuilder text = new StringBuilder(s.label()).append(": latency ")
                .append(slopeText(s.summary().roundLatencySlopeMillis()));
        if (ttftSlope != null) {
            text.append(", TTFT ").append(slopeText(ttftSlope));
        }
        if (flattest) {
            text.append("  (flattest)");
        }
        return text.toString();
    }

    private static String slopeText(Double slope) {
        return slope == null ? "no slope" : String.format(Locale.ROOT, "%+.1f ms/round", slope);
    }

    private static double slopeOrMax(Double slope) {
        return slope == null ? Double.MAX_VALUE : slope;
    }
}
