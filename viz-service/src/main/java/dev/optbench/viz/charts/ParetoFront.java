package dev.optbench.viz.charts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The non-dominated points of two figures: those no other point beats on one figure without losing on the
 * other, each figure in its own better direction.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /** Indexes of the non-dominated points, ordered by x ascending. Equal points are all kept. */
    public static List<Integer> of(double[] x, double[] y, boolean higherXIsBetter, boolean higherYIsBetter) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " x values for " + y.length + " y values");
        }
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            boolean dominated = false;
            for (int j = 0; j < x.length && !dominated; j++) {
                dominated = j != i && dominates(oriented(x[j], higherXIsBetter), oriented(y[j], higherYIsBetter),
                        oriented(x[i], higherXIsBetter), oriented(y[i], higherYIsBetter));
            }
            if (!dominated) {
                front.add(i);
            }
        }
        front.sort(Comparator.comparingDouble(i -> x[i]));
        return front;
    }

    private static boolean dominates(double xa, double ya, double xb, double yb) {
        return xa >= xb && ya >= yb && (xa > xb || ya > yb);
    }

    private static double oriented(double value, boolean higherIsBetter) {
        return higherIsBetter ? value : -value;
    }
}
