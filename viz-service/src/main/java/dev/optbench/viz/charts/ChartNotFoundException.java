package dev.optbench.viz.charts;

/**
 * A request named a chart or a file format the service does not draw.
 */
public class ChartNotFoundException extends RuntimeException {
    public ChartNotFoundException(String message) {
        super(message);
    }
}
