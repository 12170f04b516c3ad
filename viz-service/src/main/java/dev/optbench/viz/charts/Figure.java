package dev.optbench.viz.charts;

import org.jfree.chart.ui.Drawable;

/**
 * A drawn chart before it becomes an image: what draws it, its size in CSS pixels (1/96 inch) and the
 * figures it shows, for the CSV and JSON downloads.
 */
public record Figure(Drawable drawable, int width, int height, DataTable data) {
}
