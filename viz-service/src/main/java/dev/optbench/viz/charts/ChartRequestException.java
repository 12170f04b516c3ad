package dev.optbench.viz.charts;

/**
 * A chart request asked for something the chart cannot draw from this run: the 400 answer names the field.
 */
public class ChartRequestException extends RuntimeException {
    private final String field;

    public ChartRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
