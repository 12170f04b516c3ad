package dev.optbench.viz.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.optbench.viz.RunFixture;
import dev.optbench.viz.runs.HistoryPoint;
import dev.optbench.viz.runs.TrialView;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
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
 * Reads back what the charts write: decoded PNGs with their pHYs resolution, parsed SVG documents.
 */
public final class ChartTestSupport {
    private ChartTestSupport() {
    }

    /** The series a run's charts draw, coloured as the service colours them. */
    public static ChartInput input(RunFixture run, List<HistoryPoint> history) {
        VariantColours colours = VariantColours.assign(run.trials);
        List<ChartSeries> series = run.trials.stream().filter(TrialView::summarised)
                .map(t -> new ChartSeries(t.label(), colours.colour(t.trialId()), colours.isReference(t.trialId()), t))
                .toList();
        return new ChartInput("Run " + run.name, series, true, history);
    }

    public record Png(BufferedImage image, int dotsPerInch) {
    }

    public static Png readPng(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            BufferedImage image = reader.read(0);
            IIOMetadata metadata = reader.getImageMetadata(0);
            Element root = (Element) metadata.getAsTree("javax_imageio_png_1.0");
            NodeList physical = root.getElementsByTagName("pHYs");
            assertEquals(1, physical.getLength(), "the PNG has a pHYs chunk");
            Element chunk = (Element) physical.item(0);
            assertEquals("meter", chunk.getAttribute("unitSpecifier"));
            long perMetre = Long.parseLong(chunk.getAttribute("pixelsPerUnitXAxis"));
            reader.dispose();
            return new Png(image, (int) Math.round(perMetre * 0.0254));
        }
    }

    public static Document parseSvg(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // The SVG names its DTD by URL; nothing is fetched in a test.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertEquals("svg", document.getDocumentElement().getLocalName());
        assertNotNull(document.getDocumentElement().getAttribute("width"));
        return document;
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
}
