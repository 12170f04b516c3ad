package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import dev.optbench.viz.runs.TrialView;
import java.awt.Color;

/**
 * One line, bar or point group of a chart: a summarised trial with its legend label and its colour.
 *
 * @param reference whether this is a baseline trial that the others are compared with (drawn in the baseline red)
 */
public record ChartSeries(String label, Color colour, boolean reference, TrialView trial) {

    public TrialSummary summary() {
        return trial.summary();
    }

    public Double value(Metric metric) {
        return trial.figure(metric);
    }
}
