package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import java.awt.Color;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Answer quality against generation throughput, one point per variant; the non-dominated variants (nothing
 * is both faster and better) are joined by a line and labelled. A reference without the quality figure (the
 * baseline has no win rate against itself) is drawn as a vertical line at its throughput.
 */
public final class ParetoChart implements ChartBuilder {
    static final Metric THROUGHPUT = Metric.GENERATION_TOKENS_PER_SECOND;
    /** The quality figure when the request names none: the first one the run has. */
    static final List<Metric> QUALITY_CHOICES = List.of(Metric.JUDGE_WIN_RATE, Metric.KL_DIVERGENCE,
            Metric.RUBRIC_GRADE, Metric.REFERENCE_ACCURACY, Metric.PERPLEXITY);
    private static final Color FRONT = new Color(0x44, 0x44, 0x44);

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        Metric quality = options.quality() != null ? options.quality() : QUALITY_CHOICES.stream()
                .filter(metric -> input.series().stream().anyMatch(s -> s.value(metric) != null))
                .findFirst().orElse(Metric.JUDGE_WIN_RATE);
        List<ChartSeries> points = input.series().stream()
                .filter(s -> s.value(THROUGHPUT) != null && s.value(quality) != null).toList();
        double[] x = values(points, THROUGHPUT);
        double[] y = values(points, quality);
        List<Integer> front = ParetoFront.of(x, y, THROUGHPUT.higherIsBetter, quality.higherIsBetter);
        Set<Integer> onFront = new HashSet<>(front);

        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < points.size(); i++) {
            XYSeries point = new XYSeries(points.get(i).label(), false, true);
            point.add(x[i], y[i]);
            dataset.addSeries(point);
            renderer.setSeriesPaint(i, points.get(i).colour());
            renderer.setSeriesShape(i, onFront.contains(i) ? enlarged() : ChartStyle.POINT);
        }
        XYSeries frontLine = new XYSeries("Pareto front", false, true);
        front.forEach(i -> frontLine.add(x[i], y[i]));
        dataset.addSeries(frontLine);
        int frontIndex = points.size();
        renderer.setSeriesLinesVisible(frontIndex, true);
        renderer.setSeriesShapesVisible(frontIndex, false);
        renderer.setSeriesPaint(frontIndex, FRONT);
        renderer.setSeriesStroke(frontIndex, ChartStyle.DASHED);

        NumberAxis throughputAxis = new NumberAxis(THROUGHPUT.title() + "  (higher is better)");
        throughputAxis.setAutoRangeIncludesZero(false);
        // Room for the labels of the outermost points.
        throughputAxis.setUpperMargin(0.12);
        NumberAxis qualityAxis = new NumberAxis(quality.title() + (quality.higherIsBetter
                ? "  (higher is better)" : "  (lower is better)"));
        qualityAxis.setAutoRangeIncludesZero(false);
        qualityAxis.setUpperMargin(0.12);
        XYPlot plot = new XYPlot(dataset, throughputAxis, qualityAxis, renderer);
        ChartStyle.style(plot);
        for (int i : front) {
            XYPointerAnnotation label = new XYPointerAnnotation(points.get(i).label(), x[i], y[i], -Math.PI / 4);
            label.setFont(ChartStyle.ANNOTATION);
            label.setPaint(ChartStyle.TEXT);
            label.setArrowPaint(ChartStyle.MUTED);
            label.setBaseRadius(26);
            label.setTipRadius(7);
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(label);
        }
        List<ChartSeries> markers = input.series().stream()
                .filter(s -> s.reference() && s.value(quality) == null && s.value(THROUGHPUT) != null).toList();
        for (ChartSeries s : markers) {
            plot.addDomainMarker(ChartStyle.uprightMarker(s.value(THROUGHPUT), s.colour(),
                    s.label() + " " + FigureFormat.withUnit(s.value(THROUGHPUT), THROUGHPUT)));
        }
        if (!markers.isEmpty()) {
            // Markers do not widen an axis by themselves; the reference must stay in view.
            double[] all = values(Stream.concat(points.stream(), markers.stream()).toList(), THROUGHPUT);
            double low = Arrays.stream(all).min().orElseThrow();
            double high = Arrays.stream(all).max().orElseThrow();
            double pad = Math.max((high - low) * 0.08, Math.abs(high) * 0.02 + 1e-9);
            throughputAxis.setRange(low - pad, high + 1.5 * pad);
        }
        DataTable data = new DataTable("label", "variant", "baseline", THROUGHPUT.key, quality.key, "nonDominated");
        for (int i = 0; i < points.size(); i++) {
            ChartSeries s = points.get(i);
            data.add(s.label(), s.trial().variantName(), s.reference(), x[i], y[i], onFront.contains(i));
        }
        input.series().stream().filter(s -> s.reference() && !points.contains(s) && s.value(THROUGHPUT) != null)
                .forEach(s -> data.add(s.label(), s.trial().variantName(), true, s.value(THROUGHPUT), null, false));
        List<String> notes = points.isEmpty()
                ? List.of("No finished trial has both " + THROUGHPUT.label + " and " + quality.label + " yet.")
                : List.of("Joined and labelled: the non-dominated variants (nothing else is both faster and better)");
        JFreeChart chart = ChartStyle.chart("Quality vs throughput", plot, input, true, notes);
        ChartStyle.legend(chart, ChartStyle.legendItems(points, options.legendMaxEntries(), ChartSeries::label, false));
        int legendRows = (Math.min(points.size(), options.legendMaxEntries()) + 3) / 4;
        return new Figure(chart, 1000, 660 + legendRows * 20, data);
    }

    /** Each series' figure; every series given has it. */
    private static double[] values(List<ChartSeries> series, Metric metric) {
        double[] values = new double[series.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = series.get(i).value(metric);
        }
        return values;
    }

    private static java.awt.Shape enlarged() {
        return new java.awt.geom.Ellipse2D.Double(-6, -6, 12, 12);
    }
}
