package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import java.util.Locale;

/**
 * How charts, tables and pages write a figure: about three significant digits, as a person writes them.
 */
public final class FigureFormat {
    private FigureFormat() {
    }

    public static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == Math.rint(value) && magnitude < 1e6) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 0.01) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** A value with its unit: "12.3 ms", "45 %". */
    public static String withUnit(double value, Metric metric) {
        return metric.unit.isEmpty() ? number(value) : number(value) + " " + metric.unit;
    }

    public static String percentChange(double percent) {
        return String.format(Locale.ROOT, "%+.1f %%", percent);
    }
}
