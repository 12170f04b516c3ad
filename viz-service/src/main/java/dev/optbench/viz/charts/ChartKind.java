package dev.optbench.viz.charts;

import java.util.Arrays;
import java.util.Optional;

/**
 * The charts the service draws, by the name they have in URLs ({@code /api/runs/{id}/charts/{name}.png}).
 */
public enum ChartKind {
    COMPARISON("comparison", "Optimization comparison", true),
    ROUNDS("rounds", "Round impact", false),
    ABLATION("ablation", "Ablation", false),
    PARETO("pareto", "Quality vs throughput (Pareto)", false),
    SUMMARY("summary", "Summary table", true),
    PROGRESS("progress", "Progress to target", false),
    HISTORY("history", "History across runs", false);

    public final String slug;
    public final String title;
    /** Whether the dashboard gives the chart the whole width (panels and tables side by side). */
    public final boolean wide;

    ChartKind(String slug, String title, boolean wide) {
        this.slug = slug;
        this.title = title;
        this.wide = wide;
    }

    public static Optional<ChartKind> ofSlug(String slug) {
        return Arrays.stream(values()).filter(kind -> kind.slug.equals(slug)).findFirst();
    }
}
