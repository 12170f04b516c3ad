package dev.optbench.viz.charts;

/**
 * Draws one kind of chart from the summarised trials a request kept.
 */
public interface ChartBuilder {
    Figure build(ChartInput input, ChartOptions options);
}
