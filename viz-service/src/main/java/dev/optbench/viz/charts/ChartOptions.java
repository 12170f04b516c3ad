package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;

/**
 * A chart request's choices, already validated; null where the request left the choice to the chart.
 *
 * @param metric           the figure of the ablation, progress and history charts
 * @param secondMetric     the ablation chart's figure on a second axis
 * @param axis             the ablation chart's swept flag
 * @param quality          the Pareto chart's quality figure
 * @param target           the progress chart's target, in the metric's unit
 * @param legendMaxEntries legend entries drawn before the rest are summed up
 */
public record ChartOptions(Metric metric, Metric secondMetric, String axis, Metric quality, Double target,
                           int legendMaxEntries) {

    public Metric metricOr(Metric fallback) {
        return metric == null ? fallback : metric;
    }
}
