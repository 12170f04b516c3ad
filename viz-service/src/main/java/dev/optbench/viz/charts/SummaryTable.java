package dev.optbench.viz.charts;

import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.ui.Drawable;

/**
 * The per-variant figures as a table image: each figure with its change against the baseline under it, better
 * in green and worse in red (by the figure's own direction), the baseline's row marked.
 */
public final class SummaryTable implements ChartBuilder {
    private static final Font TITLE = ChartStyle.TITLE;
    private static final Font HEADER = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    private static final Font CELL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font CHANGE = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final FontRenderContext MEASURE = new FontRenderContext(null, true, true);
    private static final Color HEADER_BACKGROUND = new Color(0xF2, 0xF4, 0xF7);
    private static final Color REFERENCE_BACKGROUND = new Color(0xFD, 0xEC, 0xEC);
    private static final int PADDING = 18;
    private static final int ROW_HEIGHT = 40;
    private static final int HEADER_HEIGHT = 44;
    private static final int LINE_HEIGHT = 18;

    @Override
    public Figure build(ChartInput input, ChartOptions options) {
        List<ChartSeries> rows = input.series();
        List<Metric> metrics = Arrays.stream(Metric.values())
                .filter(metric -> rows.stream().anyMatch(s -> s.value(metric) != null)).toList();
        List<String> columns = new ArrayList<>(List.of("label", "variant", "baseline", "status"));
        for (Metric metric : metrics) {
            columns.add(metric.key);
            columns.add(metric.key + "ChangePercent");
        }
        DataTable data = new DataTable(columns);
        for (ChartSeries s : rows) {
            List<Object> row = new ArrayList<>(List.of(s.label(), s.trial().variantName(), s.reference(), s.summary().status()));
            for (Metric metric : metrics) {
                Change change = change(s, metric);
                row.add(s.value(metric));
                row.add(change == null ? null : change.percent());
            }
            data.add(row.toArray());
        }
        List<String> lines = new ArrayList<>();
        lines.add(input.subject());
        lines.add(metrics.isEmpty() ? "No finished trial has figures yet."
                : "Change against the baseline under each figure: green is better, red is worse");
        boolean warn = input.syntheticModel() && metrics.stream().anyMatch(ChartStyle.QUALITY::contains);
        Layout layout = layout(rows, metrics, lines.size() + (warn ? 1 : 0));
        return new Figure(new Drawing(rows, metrics, lines, warn, layout), layout.width(), layout.height(), data);
    }

    private static Change change(ChartSeries s, Metric metric) {
        return s.summary().changeVsBaseline() == null ? null : s.summary().changeVsBaseline().get(metric.key);
    }

    private record Layout(int labelWidth, int[] columnWidths, int top, int width, int height) {
    }

    private static Layout layout(List<ChartSeries> rows, List<Metric> metrics, int subtitleLines) {
        double widestLabel = width("Variant", HEADER);
        for (ChartSeries s : rows) {
            widestLabel = Math.max(widestLabel, width(s.label(), CELL));
        }
        int labelWidth = (int) widestLabel + 40;
        int[] columnWidths = new int[metrics.size()];
        for (int c = 0; c < metrics.size(); c++) {
            Metric metric = metrics.get(c);
            double widest = Math.max(width(metric.label, HEADER), width(unitLine(metric), CHANGE));
            for (ChartSeries s : rows) {
                Double value = s.value(metric);
                if (value != null) {
                    widest = Math.max(widest, width(FigureFormat.number(value), CELL));
                }
            }
            columnWidths[c] = (int) widest + 24;
        }
        int top = PADDING + 28 + subtitleLines * LINE_HEIGHT + 10;
        int width = PADDING * 2 + labelWidth + Arrays.stream(columnWidths).sum();
        int height = top + HEADER_HEIGHT + Math.max(1, rows.size()) * ROW_HEIGHT + PADDING;
        return new Layout(labelWidth, columnWidths, top, Math.max(width, 640), height);
    }

    private static String unitLine(Metric metric) {
        String direction = metric.higherIsBetter ? "higher is better" : "lower is better";
        return metric.unit.isEmpty() ? direction : metric.unit + ", " + direction;
    }

    private static double width(String text, Font font) {
        return font.getStringBounds(text, MEASURE).getWidth();
    }

    /** Draws the table in CSS pixels from the top left of the area it is given. */
    private record Drawing(List<ChartSeries> rows, List<Metric> metrics, List<String> lines, boolean warn,
                           Layout layout) implements Drawable {

        @Override
        public void draw(Graphics2D g, Rectangle2D area) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.translate(area.getX(), area.getY());
            g.setColor(Color.WHITE);
            g.fill(new Rectangle2D.Double(0, 0, area.getWidth(), area.getHeight()));
            g.setColor(ChartStyle.TEXT);
            g.setFont(TITLE);
            centred(g, "Summary", area.getWidth(), PADDING + 18);
            g.setFont(ChartStyle.SUBTITLE);
            int y = PADDING + 28 + 13;
            for (String line : lines) {
                g.setColor(ChartStyle.MUTED);
                centred(g, line, area.getWidth(), y);
                y += LINE_HEIGHT;
            }
            if (warn) {
                g.setColor(ChartStyle.WARNING);
                centred(g, ChartStyle.SYNTHETIC_WARNING, area.getWidth(), y);
            }
            int tableWidth = layout.labelWidth() + Arrays.stream(layout.columnWidths()).sum();
            int top = layout.top();
            g.setColor(HEADER_BACKGROUND);
            g.fill(new Rectangle2D.Double(PADDING, top, tableWidth, HEADER_HEIGHT));
            g.setColor(ChartStyle.TEXT);
            g.setFont(HEADER);
            g.drawString("Variant", PADDING + 8, top + 19);
            int x = PADDING + layout.labelWidth();
            for (int c = 0; c < metrics.size(); c++) {
                Metric metric = metrics.get(c);
                int right = x + layout.columnWidths()[c] - 10;
                g.setFont(HEADER);
                g.setColor(ChartStyle.TEXT);
                rightAligned(g, metric.label, right, top + 19);
                g.setFont(CHANGE);
                g.setColor(ChartStyle.MUTED);
                rightAligned(g, unitLine(metric), right, top + 35);
                x += layout.columnWidths()[c];
            }
            int rowTop = top + HEADER_HEIGHT;
            for (ChartSeries s : rows) {
                if (s.reference()) {
                    g.setColor(REFERENCE_BACKGROUND);
                    g.fill(new Rectangle2D.Double(PADDING, rowTop, tableWidth, ROW_HEIGHT));
                }
                g.setColor(s.colour());
                g.fill(new Rectangle2D.Double(PADDING + 8, rowTop + 14, 12, 12));
                g.setColor(ChartStyle.TEXT);
                g.setFont(CELL);
                g.drawString(s.label(), PADDING + 28, rowTop + 25);
                x = PADDING + layout.labelWidth();
                for (int c = 0; c < metrics.size(); c++) {
                    cell(g, s, metrics.get(c), x + layout.columnWidths()[c] - 10, rowTop);
                    x += layout.columnWidths()[c];
                }
                rowTop += ROW_HEIGHT;
                g.setColor(ChartStyle.GRID);
                g.draw(new Line2D.Double(PADDING, rowTop, PADDING + tableWidth, rowTop));
            }
        }

        private static void cell(Graphics2D g, ChartSeries s, Metric metric, int right, int rowTop) {
            Double value = s.value(metric);
            g.setFont(CELL);
            g.setColor(value == null ? ChartStyle.MUTED : ChartStyle.TEXT);
            rightAligned(g, value == null ? "–" : FigureFormat.number(value), right, rowTop + 18);
            Change change = change(s, metric);
            g.setFont(CHANGE);
            if (s.reference()) {
                g.setColor(ChartStyle.MUTED);
                rightAligned(g, value == null ? "" : "baseline", right, rowTop + 34);
            } else if (change != null) {
                g.setColor(change.better() == null ? ChartStyle.MUTED : change.better() ? ChartStyle.BETTER : ChartStyle.WORSE);
                rightAligned(g, FigureFormat.percentChange(change.percent()), right, rowTop + 34);
            }
        }

        private static void centred(Graphics2D g, String text, double width, int baseline) {
            double textWidth = g.getFontMetrics().getStringBounds(text, g).getWidth();
            g.drawString(text, (float) ((width - textWidth) / 2), baseline);
        }

        private static void rightAligned(Graphics2D g, String text, int right, int baseline) {
            double textWidth = g.getFontMetrics().getStringBounds(text, g).getWidth();
            g.drawString(text, (float) (right - textWidth), baseline);
        }
    }
}
