package dev.optbench.viz.rest;

import dev.optbench.contracts.summary.Metric;
import dev.optbench.viz.charts.ChartFormat;
import dev.optbench.viz.charts.ChartKind;
import dev.optbench.viz.charts.ChartNotFoundException;
import dev.optbench.viz.charts.ChartOptions;
import dev.optbench.viz.charts.ChartRequest;
import dev.optbench.viz.charts.ChartRequestException;
import dev.optbench.viz.charts.ChartService;
import dev.optbench.viz.charts.Figure;
import dev.optbench.viz.charts.FigureWriter;
import dev.optbench.viz.config.VizConfig;
import dev.optbench.viz.runs.RunIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Answers a chart request of one run or several: parses and checks the query, draws, and writes the file
 * format asked for: PNG at a chosen dpi, SVG, or the figures the chart draws as CSV and JSON.
 */
@ApplicationScoped
public class ChartResponder {
    private final ChartService charts;
    private final VizConfig config;
    private final MeterRegistry meters;

    public ChartResponder(ChartService charts, VizConfig config, MeterRegistry meters) {
        this.charts = charts;
        this.config = config;
        this.meters = meters;
    }

    /** Several runs side by side; ids repeated or comma-separated. */
    public Response compare(List<String> runs, String file, ChartQuery query) {
        List<UUID> ids = RunIds.parseAll(runs);
        if (ids.isEmpty()) {
            throw new ChartRequestException("runs", "name at least one run id");
        }
        return chart(ids, file, query);
    }

    public Response chart(List<UUID> runIds, String file, ChartQuery query) {
        int dot = file.lastIndexOf('.');
        String name = dot < 0 ? file : file.substring(0, dot);
        ChartKind kind = ChartKind.ofSlug(name).orElseThrow(() -> new ChartNotFoundException(
                "no chart '" + name + "'; charts: " + String.join(", ", Arrays.stream(ChartKind.values()).map(k -> k.slug).toList())));
        ChartFormat format = ChartFormat.ofExtension(dot < 0 ? "" : file.substring(dot + 1)).orElseThrow(() ->
                new ChartNotFoundException("'" + file + "': ask for " + name + ".png, .svg, .csv or .json"));
        int dpi = dpi(query.dpi);
        ChartRequest request = new ChartRequest(kind, new LinkedHashSet<>(splitList(query.variants)), options(query));
        Timer.Sample timing = Timer.start(meters);
        Figure figure = charts.figure(runIds, request);
        Object body = switch (format) {
            case PNG -> FigureWriter.png(figure, dpi);
            case SVG -> FigureWriter.svg(figure);
            case CSV -> figure.data().toCsv();
            case JSON -> Map.of("chart", kind.slug, "runs", runIds, "columns", figure.data().columns(),
                    "rows", figure.data().records());
        };
        timing.stop(meters.timer("optbench.viz.chart", "chart", kind.slug, "format", format.extension));
        return Response.ok(body, format.mediaType)
                .header("Content-Disposition", "inline; filename=\"" + kind.slug + "." + format.extension + "\"")
                .header("Cache-Control", "no-cache")
                .build();
    }

    private int dpi(String text) {
        if (text == null || text.isBlank()) {
            return config.defaultDpi();
        }
        int dpi;
        try {
            dpi = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ChartRequestException("dpi", "'" + text + "' is not a whole number of dots per inch");
        }
        if (dpi < config.minDpi() || dpi > config.maxDpi()) {
            throw new ChartRequestException("dpi", dpi + " is outside " + config.minDpi() + "–" + config.maxDpi());
        }
        return dpi;
    }

    private ChartOptions options(ChartQuery query) {
        Double target = null;
        if (query.target != null && !query.target.isBlank()) {
            try {
                target = Double.valueOf(query.target.trim());
            } catch (NumberFormatException e) {
                throw new ChartRequestException("target", "'" + query.target + "' is not a number");
            }
            if (!(target > 0) || target.isInfinite()) {
                throw new ChartRequestException("target", "must be a positive number");
            }
        }
        return new ChartOptions(metric("metric", query.metric), metric("metric2", query.metric2),
                blankToNull(query.axis), metric("quality", query.quality), target, config.legendMaxEntries());
    }

    private static Metric metric(String field, String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        try {
            return Metric.ofKey(key.trim());
        } catch (IllegalArgumentException e) {
            throw new ChartRequestException(field, "unknown metric '" + key + "'; metrics: "
                    + String.join(", ", Arrays.stream(Metric.values()).map(m -> m.key).toList()));
        }
    }

    static List<String> splitList(List<String> values) {
        if (values == null) {
            return List.of();
        }
        Set<String> items = new LinkedHashSet<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return List.copyOf(items);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
