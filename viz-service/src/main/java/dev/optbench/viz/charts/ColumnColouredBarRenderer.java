package dev.optbench.viz.charts;

import java.awt.Paint;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.renderer.category.BarRenderer;

/**
 * Bars coloured by category (one category per variant) rather than by series, so that each variant keeps its
 * colour in every panel.
 */
final class ColumnColouredBarRenderer extends BarRenderer {
    private final List<Paint> paints;

    ColumnColouredBarRenderer(List<Paint> paints) {
        this.paints = List.copyOf(paints);
    }

    @Override
    public Paint getItemPaint(int row, int column) {
        return paints.get(column);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ColumnColouredBarRenderer renderer && renderer.paints.equals(paints) && super.equals(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), paints);
    }
}
