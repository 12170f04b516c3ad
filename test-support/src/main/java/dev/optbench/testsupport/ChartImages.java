package dev.optbench.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Reads back the charts the viz service writes, for its own tests and the end-to-end test of the demo's chart
 * files: a decoded PNG with the resolution its pHYs chunk states, a parsed SVG with its size and its texts.
 */
public final class ChartImages {
    /** CSS pixels per inch: an SVG's size is in them, a PNG at {@code dpi} has {@code size × dpi / 96} pixels. */
    public static final double CSS_PIXELS_PER_INCH = 96.0;

    private ChartImages() {
    }

    public record Png(BufferedImage image, int dotsPerInch) {
    }

    /** An SVG's {@code width} and {@code height} in CSS pixels. */
    public record SvgSize(double width, double height) {
    }

    public static Png readPng(Path file) throws IOException {
        return readPng(Files.readAllBytes(file));
    }

    /** Decodes a PNG and reads its pHYs chunk, which must be there and be in pixels per metre. */
    public static Png readPng(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            try {
                reader.setInput(in);
                BufferedImage image = reader.read(0);
                IIOMetadata metadata = reader.getImageMetadata(0);
                Element root = (Element) metadata.getAsTree("javax_imageio_png_1.0");
                NodeList physical = root.getElementsByTagName("pHYs");
                assertEquals(1, physical.getLength(), "the PNG has a pHYs chunk");
                Element chunk = (Element) physical.item(0);
                assertEquals("meter", chunk.getAttribute("unitSpecifier"));
                long perMetreX = Long.parseLong(chunk.getAttribute("pixelsPerUnitXAxis"));
                long perMetreY = Long.parseLong(chunk.getAttribute("pixelsPerUnitYAxis"));
                assertEquals(perMetreX, perMetreY, "square pixels");
                return new Png(image, (int) Math.round(perMetreX * 0.0254));
            } finally {
                reader.dispose();
            }
        }
    }

    public static Document parseSvg(Path file) throws Exception {
        return parseSvg(Files.readString(file));
    }

    /** Parses an SVG document; its root must be an {@code svg} element with a positive width and height. */
    public static Document parseSvg(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // The SVG names its DTD by URL; nothing is fetched in a test.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertEquals("svg", document.getDocumentElement().getLocalName());
        SvgSize size = svgSize(document);
        assertTrue(size.width() > 0 && size.height() > 0, "the SVG has a size: " + size);
        return document;
    }

    /** The root's width and height, which must be plain numbers or in px (the CSS pixels a PNG is scaled from). */
    public static SvgSize svgSize(Document document) {
        Element root = document.getDocumentElement();
        return new SvgSize(cssPixels(root.getAttribute("width")), cssPixels(root.getAttribute("height")));
    }

    private static double cssPixels(String length) {
        String number = length.trim().endsWith("px") ? length.trim().substring(0, length.trim().length() - 2) : length.trim();
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new AssertionError("the SVG's size '" + length + "' is not in CSS pixels");
        }
    }

    /** The pixels a PNG of an SVG's CSS-pixel length has at {@code dpi}. */
    public static long pixels(double cssPixels, int dpi) {
        return Math.round(cssPixels * dpi / CSS_PIXELS_PER_INCH);
    }

    /** Every text drawn in an SVG, in document order, joined by new lines. */
    public static String svgText(Document document) {
        StringBuilder text = new StringBuilder();
        NodeList texts = document.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < texts.getLength(); i++) {
            text.append(texts.item(i).getTextContent()).append('\n');
        }
        return text.toString();
    }

    /** Whether the SVG draws a text, also where a long one is broken over lines or text elements. */
    public static boolean shows(Document document, String text) {
        return withoutSpace(svgText(document)).contains(withoutSpace(text));
    }

    private static String withoutSpace(String text) {
        return text.replaceAll("\\s+", "");
    }
}
