package dev.optbench.viz.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.jfree.svg.SVGGraphics2D;

/**
 * Turns a figure into PNG at a resolution or into SVG. A figure's size is in CSS pixels (96 per inch); a PNG
 * at {@code dpi} has {@code size × dpi / 96} pixels, so a 300 dpi chart prints at the same size as a 150 dpi
 * one with twice the detail, and carries its resolution in the PNG's pHYs chunk.
 */
public final class FigureWriter {
    public static final double CSS_PIXELS_PER_INCH = 96.0;
    private static final double METRES_PER_INCH = 0.0254;
    private static final String PNG_METADATA = "javax_imageio_png_1.0";
    // Deflate level 1 of 9 (quality maps to 9 × (1 − q)): charts are mostly flat colour and compress well anyway.
    private static final float PNG_COMPRESSION_QUALITY = 0.89f;

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
        return encode(image, dpi);
    }

    public static String svg(Figure figure) {
        SVGGraphics2D g = new SVGGraphics2D(figure.width(), figure.height());
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, figure.width(), figure.height()));
        figure.drawable().draw(g, new Rectangle2D.Double(0, 0, figure.width(), figure.height()));
        return g.getSVGDocument();
    }

    private static byte[] encode(BufferedImage image, int dpi) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 8);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(PNG_COMPRESSION_QUALITY);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), parameters);
            metadata.mergeTree(PNG_METADATA, resolution(dpi));
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), parameters);
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException("the PNG writer refused the pHYs chunk", e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG into memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static IIOMetadataNode resolution(int dpi) {
        String pixelsPerMetre = String.format(Locale.ROOT, "%d", Math.round(dpi / METRES_PER_INCH));
        IIOMetadataNode physical = new IIOMetadataNode("pHYs");
        physical.setAttribute("pixelsPerUnitXAxis", pixelsPerMetre);
        physical.setAttribute("pixelsPerUnitYAxis", pixelsPerMetre);
        physical.setAttribute("unitSpecifier", "meter");
        IIOMetadataNode root = new IIOMetadataNode(PNG_METADATA);
        root.appendChild(physical);
        return root;
    }
}
