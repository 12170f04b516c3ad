package dev.optbench.viz.charts;

import dev.optbench.viz.runs.HistoryPoint;
import java.util.List;

/**
 * What a chart draws: the summarised trials kept by the request's filter, in run, variant and artifact order.
 *
 * @param subject        the run's name, or the compared runs' names, for the subtitle
 * @param syntheticModel whether a model is the generated random-weight one, whose quality scores mean nothing
 * @param history        the history chart's points; empty for the other charts
 */
public record ChartInput(String subject, List<ChartSeries> series, boolean syntheticModel, List<HistoryPoint> history) {
}
