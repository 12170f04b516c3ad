package dev.optbench.viz.charts;

import java.util.Arrays;
import java.util.Optional;

/**
 * The files every chart comes as: the picture (PNG, SVG) and the figures it draws (CSV, JSON).
 */
public enum ChartFormat {
    PNG("png", "image/png"),
    SVG("svg", "image/svg+xml"),
    CSV("csv", "text/csv"),
    JSON("json", "application/json");

    public final String extension;
    public final String mediaType;

    ChartFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public static Optional<ChartFormat> ofExtension(String extension) {
        return Arrays.stream(values()).filter(format -> format.extension.equals(extension)).findFirst();
    }
}
