package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Each variant's throughput (or another figure) against a target the user gives, with how far along each
 * variant is: the "progress toward 60 tok/s" table people keep by hand, as a chart.
 */
public final class ProgressChart implements ChartBuilder {
    static final Metric DEFAULT_METRIC = Metric.GENERATION_TOKENS_PER_SECOND;
    private static final Color TARGET = new Color(0x1A, 0x7F, 0x37);
    private static final int ROW_HEIGHT = 26;

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        Metric metric = options.metricOr(DEFAULT_METRIC);
        Double target = options.target();
        List<ChartSeries> series = input.series().stream().filter(s -> s.value(metric) != null).toList();
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<Paint> paints = new ArrayList<>();
        DataTable data = new DataTable("label", "variant", "baseline", metric.key, "target", "percentOfTarget");
        for (ChartSeries s : series) {
            double value = s.value(metric);
            dataset.addValue(value, metric.label, s.label());
            paints.add(s.colour());
            data.add(s.label(), s.trial().variantName(), s.reference(), value, target,
                    target == null ? null : percentOf(value, target));
        }
        BarRenderer renderer = new ColumnColouredBarRenderer(paints);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.7);
        renderer.setDefaultItemLabelGenerator(new ProgressLabels(metric, target));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(ChartStyle.ANNOTATION);
        renderer.setDefaultItemLabelPaint(ChartStyle.TEXT);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        NumberAxis axis = new NumberAxis(metric.title());
        axis.setUpperMargin(0.25);
        if (target != null) {
            // The target stays in view even when every variant is far below it.
            axis.setAutoRangeIncludesZero(true);
            double highest = series.stream().map(s -> s.value(metric)).max(Double::compare).orElse(0.0);
            axis.setRange(0, Math.max(target, highest) * 1.3);
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis(), axis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setNoDataMessage("No finished trial has " + metric.label + " yet.");
        if (target != null) {
            plot.addRangeMarker(ChartStyle.uprightMarker(target, TARGET, "target " + FigureFormat.withUnit(target, metric)));
        }
        ChartStyle.style(plot);
        String note = target == null
                ? "No target given: add target=<" + (metric.unit.isEmpty() ? "value" : metric.unit) + "> to draw the line"
                : String.format(Locale.ROOT, "Target %s (%s); labels: value and share of the target",
                FigureFormat.withUnit(target, metric), metric.higherIsBetter ? "reach or exceed" : "get at or below");
        JFreeChart chart = ChartStyle.chart("Progress to target", plot, input, ChartStyle.anyQuality(metric), List.of(note));
        ChartStyle.legend(chart, ChartStyle.legendItems(series, options.legendMaxEntries(), ChartSeries::label, false));
        int legendRows = (Math.min(series.size(), options.legendMaxEntries()) + 3) / 4;
        return new Figure(chart, 1000, 200 + Math.max(4, series.size()) * ROW_HEIGHT + legendRows * 20, data);
    }

    static double percentOf(double value, double target) {
        return value / target * 100.0;
    }

    private record ProgressLabels(Metric metric, Double target) implements CategoryItemLabelGenerator {
        @Override
        public String generateLabel(CategoryDataset dataset, int row, int column) {
            Number value = dataset.getValue(row, column);
            if (value == null) {
                return null;
            }
            String text = FigureFormat.withUnit(value.doubleValue(), metric);
            return target == null ? text
                    : text + String.format(Locale.ROOT, "  (%.0f %% of target)", percentOf(value.doubleValue(), target));
        }

        @Override
        public String generateRowLabel(CategoryDataset dataset, int row) {
            return dataset.getRowKey(row).toString();
        }

        @Override
        public String generateColumnLabel(CategoryDataset dataset, int column) {
            return dataset.getColumnKey(column).toString();
        }
    }
}
