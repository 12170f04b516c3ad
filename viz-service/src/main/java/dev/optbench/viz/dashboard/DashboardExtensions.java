package dev.optbench.viz.dashboard;

import dev.optbench.contracts.summary.Metric;
import dev.optbench.viz.charts.FigureFormat;
import dev.optbench.viz.runs.TrialView;
import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the pages write times, sizes and figures.
 */
@TemplateExtension
public final class DashboardExtensions {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private DashboardExtensions() {
    }

    static String when(Instant instant) {
        return instant == null ? "–" : WHEN.format(instant);
    }

    static String megabytes(Long bytes) {
        return bytes == null ? "–" : String.format(Locale.ROOT, "%,.0f MB", bytes / 1_000_000.0);
    }

    /** A trial's figure by metric key, with its unit; a dash when it has none. */
    static String figure(TrialView trial, String key) {
        Metric metric = Metric.ofKey(key);
        Double value = trial.figure(metric);
        if (value == null) {
            return "–";
        }
        return FigureFormat.withUnit(value, metric);
    }

    /** A query parameter value, URL-encoded. */
    static String url(String text) {
        return text == null ? "" : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static int next(int page) {
        return page + 1;
    }

    static int previous(int page) {
        return Math.max(0, page - 1);
    }

    static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
