package dev.optbench.bench.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One row of the table: a figure measured once per repetition, reported as the median of the repetitions with
 * their spread (min–max), and the goal it is held to (none for a figure shown for context).
 *
 * @param section  the section (1 fidelity … 6 memory, 7 in process)
 * @param name     what was measured, with the method where it matters
 * @param unit     the unit of the values
 * @param values   one value per repetition (NaN where a repetition could not measure it)
 * @param goal     the goal in words, null when the figure has none
 * @param meets    whether a median meets the goal, null when the figure has none
 */
record Figure(int section, String name, String unit, double[] values, String goal, DoublePredicate meets) {

    static Figure info(int section, String name, String unit, double... values) {
        return new Figure(section, name, unit, values, null, null);
    }

    static Figure goal(int section, String name, String unit, String goal, DoublePredicate meets, double... values) {
        return new Figure(section, name, unit, values, goal, meets);
    }

    double[] measured() {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    double median() {
        double[] sorted = measured();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    String verdict() {
        if (meets == null) {
            return "";
        }
        double median = median();
        return Double.isNaN(median) ? "not measured" : meets.test(median) ? "met" : "MISSED";
    }

    String medianText() {
        return format(median());
    }

    String spreadText() {
        double[] sorted = measured();
        if (sorted.length < 2) {
            return "";
        }
        return format(sorted[0]) + " – " + format(sorted[sorted.length - 1]);
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 1000 ? "%,.0f" : magnitude >= 100 ? "%.1f" : magnitude >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
