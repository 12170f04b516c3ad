package dev.optbench.viz.charts;

import java.util.Set;

/**
 * What to draw: which chart of which runs, the variants to keep (empty keeps all; the baseline is always
 * kept as the reference) and the chart's options.
 */
public record ChartRequest(ChartKind kind, Set<String> variants, ChartOptions options) {
}
