package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import java.awt.Paint;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The optimization comparison: side-by-side panels of total latency, generation throughput, judge score and
 * memory, one bar per variant, the baseline's value as a dashed line across each panel. A panel without data
 * is left out rather than drawn empty.
 */
public final class ComparisonChart implements ChartBuilder {
    /** Each panel draws the first of its figures that any variant has. */
    static final List<List<Metric>> PANELS = List.of(
            List.of(Metric.LATENCY_P50),
            List.of(Metric.GENERATION_TOKENS_PER_SECOND),
            List.of(Metric.RUBRIC_GRADE, Metric.JUDGE_WIN_RATE),
            List.of(Metric.PEAK_GPU_MEMORY_MB, Metric.PEAK_RSS_MB));
    private static final int ROW_HEIGHT = 20;

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        List<ChartSeries> series = input.series();
        List<Metric> panels = panels(series);
        CategoryAxis variants = new CategoryAxis();
        variants.setCategoryMargin(0.25);
        variants.setMaximumCategoryLabelWidthRatio(0.9f);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(variants);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setGap(14);
        List<String> columns = new ArrayList<>(List.of("label", "variant", "baseline"));
        panels.forEach(metric -> columns.add(metric.key));
        DataTable data = new DataTable(columns);
        for (Metric metric : panels) {
            plot.add(panel(metric, series), 1);
        }
        ChartStyle.style(plot);
        ChartStyle.axis(variants);
        for (ChartSeries s : series) {
            List<Object> row = new ArrayList<>(List.of(s.label(), s.trial().variantName(), s.reference()));
            panels.forEach(metric -> row.add(s.value(metric)));
            data.add(row.toArray());
        }
        boolean quality = panels.stream().anyMatch(ChartStyle.QUALITY::contains);
        List<String> notes = panels.isEmpty()
                ? List.of("No finished trial has figures yet.")
                : List.of("Medians (p50) per variant; dashed line: the baseline");
        JFreeChart chart = ChartStyle.chart("Optimization comparison", plot, input, quality, notes);
        ChartStyle.legend(chart, ChartStyle.legendItems(series, options.legendMaxEntries(), ChartSeries::label, false));
        int legendRows = (Math.min(series.size(), options.legendMaxEntries()) + 3) / 4;
        int height = 170 + Math.max(6, series.size()) * ROW_HEIGHT + legendRows * 20;
        int width = 300 + Math.max(2, panels.size()) * 240;
        return new Figure(chart, width, height, data);
    }

    /** The figures the panels show, in panel order; panels where no variant has data are left out. */
    static List<Metric> panels(List<ChartSeries> series) {
        List<Metric> shown = new ArrayList<>();
        for (List<Metric> choices : PANELS) {
            choices.stream().filter(metric -> series.stream().anyMatch(s -> s.value(metric) != null))
                    .findFirst().ifPresent(shown::add);
        }
        return shown;
    }

    private static CategoryPlot panel(Metric metric, List<ChartSeries> series) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<Paint> paints = new ArrayList<>();
        for (ChartSeries s : series) {
            dataset.addValue(s.value(metric), metric.label, s.label());
            paints.add(s.colour());
        }
        NumberAxis axis = new NumberAxis(metric.title());
        axis.setUpperMargin(0.18);
        BarRenderer renderer = new ColumnColouredBarRenderer(paints);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setMaximumBarWidth(0.08);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0.##")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(ChartStyle.ANNOTATION);
        renderer.setDefaultItemLabelPaint(ChartStyle.TEXT);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        CategoryPlot panel = new CategoryPlot(dataset, null, axis, renderer);
        ChartStyle.style(panel);
        reference(series, metric).ifPresent(value ->
                panel.addRangeMarker(ChartStyle.uprightMarker(value, VariantColours.BASELINE, null)));
        return panel;
    }

    private static Optional<Double> reference(List<ChartSeries> series, Metric metric) {
        return series.stream().filter(ChartSeries::reference).map(s -> s.value(metric))
                .filter(java.util.Objects::nonNull).findFirst();
    }
}
