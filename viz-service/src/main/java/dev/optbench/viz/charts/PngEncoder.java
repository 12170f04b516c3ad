package dev.optbench.viz.charts;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes an RGB image as PNG with its resolution in a pHYs chunk. ImageIO's writer tries every row filter on
 * every row and spent most of a large chart's time; charts are flat colour, so the "Sub" filter and the fastest
 * deflate level give nearly the same size in a fraction of the time.
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte COLOUR_TYPE_RGB = 2;
    private static final byte FILTER_SUB = 1;
    private static final byte UNIT_METRE = 1;
    private static final double METRES_PER_INCH = 0.0254;

    private PngEncoder() {
    }

    /** @param image an image of type {@link BufferedImage#TYPE_INT_RGB} */
    static byte[] encode(BufferedImage image, int dpi) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expects TYPE_INT_RGB, not type " + image.getType());
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        ByteArrayOutputStream png = new ByteArrayOutputStream(width * height / 4);
        png.writeBytes(SIGNATURE);
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put(COLOUR_TYPE_RGB).put((byte) 0).put((byte) 0).put((byte) 0).array());
        int pixelsPerMetre = (int) Math.round(dpi / METRES_PER_INCH);
        chunk(png, "pHYs", ByteBuffer.allocate(9).putInt(pixelsPerMetre).putInt(pixelsPerMetre).put(UNIT_METRE).array());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(width * height / 6);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
            byte[] row = new byte[1 + width * 3];
            row[0] = FILTER_SUB;
            for (int y = 0; y < height; y++) {
                int offset = y * width;
                int previous = 0;
                for (int x = 0, i = 1; x < width; x++, i += 3) {
                    int rgb = pixels[offset + x];
                    row[i] = (byte) ((rgb >> 16) - (previous >> 16));
                    row[i + 1] = (byte) ((rgb >> 8) - (previous >> 8));
                    row[i + 2] = (byte) (rgb - previous);
                    previous = rgb;
                }
                out.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("compressing a PNG in memory failed", e);
        } finally {
            deflater.end();
        }
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
