package dev.optbench.viz.charts;

import java.util.Arrays;
import java.util.Optional;

/**
 * The charts the service draws, by the name they have in URLs ({@code /api/runs/{id}/charts/{name}.png}).
 */
public enum ChartKind {
    COMPARISON("comparison", "Optimization comparison"),
    ROUNDS("rounds", "Round impact"),
    ABLATION("ablation", "Ablation"),
    PARETO("pareto", "Quality vs throughput (Pareto)"),
    SUMMARY("summary", "Summary table"),
    PROGRESS("progress", "Progress to target"),
    HISTORY("history", "History across runs");

    public final String slug;
    public final String title;

    ChartKind(String slug, String title) {
        this.slug = slug;
        this.title = title;
    }

    public String getSlug() {
        return slug;
    }

    public String getTitle() {
        return title;
    }

    public static Optional<ChartKind> ofSlug(String slug) {
        return Arrays.stream(values()).filter(kind -> kind.slug.equals(slug)).findFirst();
    }
}
