package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A figure against the values of one swept flag, one line per combination of the other swept flags, an
 * optional second figure on a right-hand axis (dashed), and the best point starred. The baseline, outside the
 * sweep, is a dashed line across.
 */
public final class AblationChart implements ChartBuilder {
    static final Metric DEFAULT_METRIC = Metric.GENERATION_TOKENS_PER_SECOND;
    private static final Color BEST = new Color(0xF2, 0xB7, 0x05);

    /** A measured point of the sweep. */
    record Point(ChartSeries series, String group, Object axisValue, double x, Double value, Double secondValue) {
    }

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        Metric metric = options.metricOr(DEFAULT_METRIC);
        Metric second = options.secondMetric();
        List<ChartSeries> swept = input.series().stream().filter(s -> !s.trial().sweepValues().isEmpty()).toList();
        String axis = axis(swept, options.axis());
        List<Point> points = axis == null ? List.of() : points(swept, axis, metric, second);
        // The swept values are the ticks, evenly spaced: numbers in ascending order (a doubling sweep reads as on a
        // log scale), text in the order the sweep lists it.
        boolean numeric = points.stream().allMatch(p -> number(p.axisValue()) != null);
        List<String> symbols = points.stream()
                .sorted(numeric ? Comparator.comparingDouble(Point::x) : (a, b) -> 0)
                .map(p -> text(p.axisValue())).distinct().toList();

        Map<String, List<Point>> groups = points.stream().collect(Collectors.groupingBy(Point::group,
                LinkedHashMap::new, Collectors.toList()));
        XYSeriesCollection primary = new XYSeriesCollection();
        XYSeriesCollection secondary = new XYSeriesCollection();
        XYLineAndShapeRenderer primaryRenderer = new XYLineAndShapeRenderer(true, true);
        XYLineAndShapeRenderer secondaryRenderer = new XYLineAndShapeRenderer(true, true);
        LegendItemCollection legend = new LegendItemCollection();
        int index = 0;
        for (Map.Entry<String, List<Point>> group : groups.entrySet()) {
            XYSeries line = new XYSeries(group.getKey(), true, true);
            XYSeries secondLine = new XYSeries(group.getKey() + " / " + (second == null ? "" : second.key), true, true);
            for (Point point : group.getValue()) {
                double x = symbols.indexOf(text(point.axisValue()));
                if (point.value() != null) {
                    line.add(x, point.value());
                }
                if (point.secondValue() != null) {
                    secondLine.add(x, point.secondValue());
                }
            }
            Color colour = group.getValue().getFirst().series().colour();
            primary.addSeries(line);
            primaryRenderer.setSeriesPaint(index, colour);
            primaryRenderer.setSeriesStroke(index, ChartStyle.LINE);
            primaryRenderer.setSeriesShape(index, ChartStyle.POINT);
            secondary.addSeries(secondLine);
            secondaryRenderer.setSeriesPaint(index, colour);
            secondaryRenderer.setSeriesStroke(index, ChartStyle.DASHED);
            secondaryRenderer.setSeriesShape(index, ChartStyle.SQUARE);
            if (index < options.legendMaxEntries()) {
                legend.add(ChartStyle.lineItem(group.getKey(), colour));
            }
            index++;
        }
        SymbolAxis xAxis = new SymbolAxis(axis == null ? "Swept flag" : axis, symbols.toArray(String[]::new));
        xAxis.setGridBandsVisible(false);
        NumberAxis valueAxis = new NumberAxis(metric.title());
        valueAxis.setAutoRangeIncludesZero(false);
        valueAxis.setUpperMargin(0.15);
        XYPlot plot = new XYPlot(primary, xAxis, valueAxis, primaryRenderer);
        if (second != null) {
            NumberAxis secondAxis = new NumberAxis(second.title() + " (dashed)");
            secondAxis.setAutoRangeIncludesZero(false);
            plot.setRangeAxis(1, secondAxis);
            plot.setDataset(1, secondary);
            plot.setRenderer(1, secondaryRenderer);
            plot.mapDatasetToRangeAxis(1, 1);
        }
        Optional<Point> best = best(points, metric);
        best.ifPresent(point -> {
            double x = symbols.indexOf(text(point.axisValue()));
            XYSeriesCollection star = new XYSeriesCollection();
            XYSeries bestSeries = new XYSeries("best", false, true);
            bestSeries.add(x, point.value());
            star.addSeries(bestSeries);
            XYLineAndShapeRenderer starRenderer = new XYLineAndShapeRenderer(false, true);
            starRenderer.setSeriesPaint(0, BEST);
            starRenderer.setSeriesShape(0, star(11));
            starRenderer.setSeriesOutlinePaint(0, ChartStyle.TEXT);
            starRenderer.setUseOutlinePaint(true);
            starRenderer.setDrawOutlines(true);
            plot.setDataset(2, star);
            plot.setRenderer(2, starRenderer);
            String label = "best: " + axis + " " + text(point.axisValue()) + " → " + FigureFormat.withUnit(point.value(), metric);
            XYPointerAnnotation pointer = new XYPointerAnnotation(label, x, point.value(), -Math.PI / 3);
            pointer.setFont(ChartStyle.ANNOTATION);
            pointer.setBaseRadius(34);
            pointer.setTipRadius(12);
            pointer.setTextAnchor(TextAnchor.BOTTOM_CENTER);
            plot.addAnnotation(pointer);
            legend.add(new org.jfree.chart.LegendItem(label + " (" + point.group() + ")", null, null, null, true, star(7),
                    true, BEST, true, ChartStyle.TEXT, new java.awt.BasicStroke(1f), false, ChartStyle.LEGEND_LINE,
                    ChartStyle.LINE, BEST));
        });
        List<ChartSeries> references = input.series().stream()
                .filter(s -> s.reference() && s.trial().sweepValues().isEmpty() && s.value(metric) != null).toList();
        if (!references.isEmpty() && !points.isEmpty()) {
            // Markers do not widen an axis: an undrawn point at each reference's value keeps its line in view.
            XYSeriesCollection reach = new XYSeriesCollection();
            XYSeries values = new XYSeries("references", false, true);
            double x = 0;
            references.forEach(s -> values.add(x, s.value(metric)));
            reach.addSeries(values);
            plot.setDataset(3, reach);
            plot.setRenderer(3, new XYLineAndShapeRenderer(false, false));
        }
        references.forEach(s -> plot.addRangeMarker(ChartStyle.levelMarker(s.value(metric), s.colour(),
                s.label() + " " + FigureFormat.withUnit(s.value(metric), metric))));
        ChartStyle.style(plot);

        List<String> columns = new ArrayList<>(List.of("label", "variant", "group", "axis", "axisValue", metric.key));
        if (second != null) {
            columns.add(second.key);
        }
        columns.add("best");
        DataTable data = new DataTable(columns);
        for (Point point : points) {
            List<Object> row = new ArrayList<>(List.of(point.series().label(), point.series().trial().variantName(),
                    point.group(), axis, text(point.axisValue())));
            row.add(point.value());
            if (second != null) {
                row.add(point.secondValue());
            }
            row.add(best.map(b -> b == point).orElse(false));
            data.add(row.toArray());
        }
        List<String> notes = new ArrayList<>();
        if (axis == null) {
            notes.add("This run has no sweep: nothing to ablate.");
        } else {
            notes.add(metric.label + " against " + axis + (metric.higherIsBetter ? "; best = highest" : "; best = lowest")
                    + (second == null ? "" : "; dashed, right axis: " + second.label));
        }
        JFreeChart chart = ChartStyle.chart("Ablation" + (axis == null ? "" : ": " + axis), plot, input,
                ChartStyle.anyQuality(metric, second), notes);
        ChartStyle.legend(chart, legend);
        return new Figure(chart, 1000, 660 + (Math.min(groups.size(), options.legendMaxEntries()) + 2) / 3 * 20, data);
    }

    /** The best point by the metric's better direction; the first of equals. */
    static Optional<Point> best(List<Point> points, Metric metric) {
        Point best = null;
        for (Point point : points) {
            if (point.value() != null && (best == null || (metric.higherIsBetter
                    ? point.value() > best.value() : point.value() < best.value()))) {
                best = point;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The swept flag asked for, or the first one of the run; null when the run has no sweep. */
    static String axis(List<ChartSeries> swept, String asked) {
        Set<String> axes = new LinkedHashSet<>();
        swept.forEach(s -> axes.addAll(s.trial().sweepValues().keySet()));
        if (asked != null) {
            if (!axes.contains(asked)) {
                throw new ChartRequestException("axis", "'" + asked + "' is not a swept flag of this run"
                        + (axes.isEmpty() ? " (it has no sweep)" : "; swept: " + String.join(", ", axes)));
            }
            return asked;
        }
        return axes.stream().findFirst().orElse(null);
    }

    static List<Point> points(List<ChartSeries> swept, String axis, Metric metric, Metric second) {
        boolean severalArtifacts = swept.stream().map(s -> s.trial().artifactId()).distinct().count() > 1;
        List<Point> points = new ArrayList<>();
        for (ChartSeries s : swept) {
            Map<String, Object> values = s.trial().sweepValues();
            if (!values.containsKey(axis)) {
                continue;
            }
            String group = values.entrySet().stream().filter(e -> !e.getKey().equals(axis))
                    .map(e -> e.getKey() + " " + text(e.getValue())).collect(Collectors.joining(", "));
            if (severalArtifacts) {
                group = group.isEmpty() ? s.trial().artifactText() : group + " · " + s.trial().artifactText();
            }
            Object value = values.get(axis);
            Double x = number(value);
            points.add(new Point(s, group.isEmpty() ? axis : group, value, x == null ? 0 : x,
                    s.value(metric), second == null ? null : s.value(second)));
        }
        return points;
    }

    private static Double number(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.valueOf(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(Object value) {
        if (value == null) {
            return "on";
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        return Objects.toString(value);
    }

    private static Shape star(double radius) {
        Path2D.Double star = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? radius : radius * 0.45;
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            if (i == 0) {
                star.moveTo(r * Math.cos(angle), r * Math.sin(angle));
            } else {
                star.lineTo(r * Math.cos(angle), r * Math.sin(angle));
            }
        }
        star.closePath();
        return star;
    }
}
