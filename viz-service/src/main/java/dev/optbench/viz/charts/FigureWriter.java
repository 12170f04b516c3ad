package dev.optbench.viz.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.svg.SVGGraphics2D;

/**
 * Turns a figure into PNG at a resolution or into SVG. A figure's size is in CSS pixels (96 per inch); a PNG
 * at {@code dpi} has {@code size × dpi / 96} pixels, so a 300 dpi chart prints at the same size as a 150 dpi
 * one with twice the detail, and carries its resolution in the PNG's pHYs chunk.
 */
public final class FigureWriter {
    public static final double CSS_PIXELS_PER_INCH = 96.0;

    private FigureWriter() {
    }

    public static int pixels(int cssPixels, int dpi) {
        return (int) Math.round(cssPixels * dpi / CSS_PIXELS_PER_INCH);
    }

    public static byte[] png(Figure figure, int dpi) {
        double scale = dpi / CSS_PIXELS_PER_INCH;
        BufferedImage image = new BufferedImage(pixels(figure.width(), dpi), pixels(figure.height(), dpi),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.scale(scale, scale);
            figure.drawable().draw(g, new Rectangle2D.Double(0, 0, figure.width(), figure.height()));
        } finally {
            g.dispose();
        }
        return PngEncoder.encode(image, dpi);
    }

    public static String svg(Figure figure) {
        SVGGraphics2D g = new SVGGraphics2D(figure.width(), figure.height());
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, figure.width(), figure.height()));
        figure.drawable().draw(g, new Rectangle2D.Double(0, 0, figure.width(), figure.height()));
        return g.getSVGDocument();
    }
}
