package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import dev.optbench.viz.runs.HistoryPoint;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A figure of the same model artifact and flags on the same pool across runs over time, one line per variant
 * of the run looked at; where the llama.cpp build changes between two runs the point is labelled with the new
 * build, so a regression between builds shows where it happened.
 */
public final class HistoryChart implements ChartBuilder {
    static final Metric DEFAULT_METRIC = Metric.GENERATION_TOKENS_PER_SECOND;

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        Metric metric = options.metricOr(DEFAULT_METRIC);
        Map<UUID, List<HistoryPoint>> byTrial = input.history().stream()
                .collect(Collectors.groupingBy(HistoryPoint::seriesTrialId));
        List<ChartSeries> series = input.series().stream().filter(s -> byTrial.containsKey(s.trial().trialId())).toList();
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        DataTable data = new DataTable("label", "variant", "runId", "runName", "runCreatedAt", metric.key,
                "llamaVersion", "llamaCommit");
        Set<UUID> runs = new LinkedHashSet<>();
        for (int i = 0; i < series.size(); i++) {
            ChartSeries s = series.get(i);
            XYSeries line = new XYSeries(s.label(), true, true);
            for (HistoryPoint point : byTrial.get(s.trial().trialId())) {
                line.add(point.runCreatedAt().toEpochMilli(), point.value());
                runs.add(point.runId());
                data.add(s.label(), s.trial().variantName(), point.runId(), point.runName(), point.runCreatedAt(),
                        point.value(), point.llamaVersion(), point.llamaCommit());
            }
            dataset.addSeries(line);
            renderer.setSeriesPaint(i, s.colour());
            renderer.setSeriesStroke(i, ChartStyle.LINE);
            renderer.setSeriesShape(i, ChartStyle.POINT);
        }
        DateAxis time = new DateAxis("Run started");
        time.setUpperMargin(0.1);
        NumberAxis value = new NumberAxis(metric.title());
        value.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(dataset, time, value, renderer);
        buildChanges(input.history()).forEach((instant, build) -> {
            ValueMarker marker = ChartStyle.uprightMarker(instant.toEpochMilli(), ChartStyle.MUTED, "llama.cpp " + build);
            // Left of the line: the newest run is at the right edge.
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker);
        });
        plot.setNoDataMessage("No stored run has " + metric.label + " for these variants yet.");
        ChartStyle.style(plot);
        String note = runs.size() + " runs of the same model file, quantization, pruning and flags on the same pool;"
                + " dashed lines mark a new llama.cpp build";
        JFreeChart chart = ChartStyle.chart("History: " + metric.label, plot, input, ChartStyle.anyQuality(metric), List.of(note));
        ChartStyle.legend(chart, ChartStyle.legendItems(series, options.legendMaxEntries(), ChartSeries::label, true));
        int legendRows = (Math.min(series.size(), options.legendMaxEntries()) + 3) / 4;
        return new Figure(chart, 1000, 620 + legendRows * 20, data);
    }

    /** The runs, oldest first, whose llama.cpp build differs from the run before them: where a regression may start. */
    static Map<Instant, String> buildChanges(List<HistoryPoint> history) {
        Map<Instant, String> changes = new TreeMap<>();
        String previous = null;
        for (HistoryPoint point : history.stream().sorted(Comparator.comparing(HistoryPoint::runCreatedAt)).toList()) {
            String build = build(point);
            if (build != null && previous != null && !build.equals(previous)) {
                changes.put(point.runCreatedAt(), build);
            }
            if (build != null) {
                previous = build;
            }
        }
        return changes;
    }

    private static String build(HistoryPoint point) {
        if (point.llamaCommit() != null) {
            return point.llamaCommit();
        }
        return point.llamaVersion();
    }
}
