package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Metric;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;

/**
 * The look every chart shares: fonts, white background, light grid, the legend below the data, the subtitle
 * lines, and the warning on charts of the generated model's quality.
 */
final class ChartStyle {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font ANNOTATION = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color TEXT = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x55, 0x55, 0x55);
    static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    static final Color WARNING = new Color(0xA8, 0x4B, 0x00);
    static final Color BETTER = new Color(0x1A, 0x7F, 0x37);
    static final Color WORSE = new Color(0xC6, 0x28, 0x28);
    static final Stroke LINE = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);
    static final Shape POINT = new Ellipse2D.Double(-4, -4, 8, 8);
    static final Shape SQUARE = new Rectangle2D.Double(-4, -4, 8, 8);
    static final Shape LEGEND_LINE = new Line2D.Double(-9, 0, 9, 0);

    static final String SYNTHETIC_WARNING = "Model synthetic:tiny is the generated random-weight test model: "
            + "its timings are real, its quality scores mean nothing.";

    /** The figures that judge answers or logits; on the generated model they carry no meaning. */
    static final Set<Metric> QUALITY = EnumSet.of(Metric.JUDGE_WIN_RATE, Metric.JUDGE_LOSS_RATE, Metric.RUBRIC_GRADE,
            Metric.REFERENCE_ACCURACY, Metric.PERPLEXITY, Metric.KL_DIVERGENCE);

    private ChartStyle() {
    }

    /**
     * A chart with the title, the subject line and any notes under it; the quality warning when the chart shows a
     * quality figure of the generated model.
     */
    static JFreeChart chart(String title, Plot plot, ChartInput input, boolean showsQuality, List<String> notes) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(10, 12, 10, 12));
        chart.getTitle().setPaint(TEXT);
        chart.addSubtitle(line(input.subject(), MUTED));
        for (String note : notes) {
            chart.addSubtitle(line(note, MUTED));
        }
        if (showsQuality && input.syntheticModel()) {
            chart.addSubtitle(line(SYNTHETIC_WARNING, WARNING));
        }
        return chart;
    }

    static boolean anyQuality(Metric... metrics) {
        for (Metric metric : metrics) {
            if (metric != null && QUALITY.contains(metric)) {
                return true;
            }
        }
        return false;
    }

    /** The legend below the plot, outside the data. */
    static void legend(JFreeChart chart, LegendItemCollection items) {
        LegendTitle legend = new LegendTitle(() -> items);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(LEGEND);
        legend.setItemPaint(TEXT);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setFrame(new BlockBorder(GRID));
        legend.setMargin(new RectangleInsets(8, 0, 0, 0));
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 12));
        chart.addSubtitle(legend);
    }

    /**
     * One legend entry per series in the given order, at most {@code max}: past that, the references (the
     * baseline keeps its entry) and the first others are shown and the rest summed up in a last entry that
     * says how to choose.
     */
    static LegendItemCollection legendItems(List<ChartSeries> series, int max, Function<ChartSeries, String> text,
                                            boolean lines) {
        List<ChartSeries> shown = series;
        if (series.size() > max) {
            long references = series.stream().filter(ChartSeries::reference).count();
            long others = Math.max(0, max - 1 - references);
            List<ChartSeries> kept = new ArrayList<>();
            for (ChartSeries s : series) {
                if (s.reference() || others-- > 0) {
                    kept.add(s);
                }
            }
            shown = kept;
        }
        LegendItemCollection items = new LegendItemCollection();
        for (ChartSeries s : shown) {
            items.add(lines ? lineItem(text.apply(s), s.colour()) : boxItem(text.apply(s), s.colour()));
        }
        if (series.size() > shown.size()) {
            items.add(boxItem("and " + (series.size() - shown.size()) + " more (choose with variants=)", Color.WHITE));
        }
        return items;
    }

    static LegendItem boxItem(String label, Paint paint) {
        LegendItem item = new LegendItem(label, paint);
        item.setShape(new Rectangle2D.Double(-6, -6, 12, 12));
        return item;
    }

    static LegendItem lineItem(String label, Paint paint) {
        return new LegendItem(label, null, null, null, true, POINT, true, paint, false, paint, LINE, true,
                LEGEND_LINE, LINE, paint);
    }

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(GRID);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(0.8f));
        plot.setRangeGridlineStroke(new BasicStroke(0.8f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setNoDataMessageFont(AXIS_LABEL);
        for (int i = 0; i < plot.getDomainAxisCount(); i++) {
            axis(plot.getDomainAxis(i));
        }
        for (int i = 0; i < plot.getRangeAxisCount(); i++) {
            axis(plot.getRangeAxis(i));
        }
    }

    static void style(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(0.8f));
        plot.setDomainGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setNoDataMessageFont(AXIS_LABEL);
        if (plot.getDomainAxis() != null) {
            axis(plot.getDomainAxis());
        }
        for (int i = 0; i < plot.getRangeAxisCount(); i++) {
            axis(plot.getRangeAxis(i));
        }
    }

    static void axis(Axis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(AXIS_LABEL);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelFont(TICK);
        axis.setTickLabelPaint(TEXT);
        axis.setAxisLinePaint(MUTED);
    }

    /** A labelled reference line across the data, e.g. the baseline's value or a target, drawn upright. */
    static ValueMarker uprightMarker(double value, Paint paint, String label) {
        ValueMarker marker = marker(value, paint, label);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        return marker;
    }

    /** A labelled reference line drawn level, its label above its left end. */
    static ValueMarker levelMarker(double value, Paint paint, String label) {
        ValueMarker marker = marker(value, paint, label);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        return marker;
    }

    private static ValueMarker marker(double value, Paint paint, String label) {
        ValueMarker marker = new ValueMarker(value, paint, DASHED);
        marker.setLabel(label);
        marker.setLabelFont(ANNOTATION);
        marker.setLabelPaint(paint);
        marker.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
        return marker;
    }

    private static TextTitle line(String text, Paint paint) {
        TextTitle title = new TextTitle(text, SUBTITLE);
        title.setPaint(paint);
        title.setPosition(RectangleEdge.TOP);
        title.setHorizontalAlignment(HorizontalAlignment.CENTER);
        title.setPadding(new RectangleInsets(1, 0, 1, 0));
        return title;
    }
}
