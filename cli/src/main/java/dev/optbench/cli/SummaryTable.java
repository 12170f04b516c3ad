package dev.optbench.cli;

import dev.optbench.contracts.stats.Distribution;
import dev.optbench.contracts.summary.Change;
import dev.optbench.contracts.summary.Metric;
import dev.optbench.contracts.summary.TrialSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-trial summary table the CLI prints: speed, memory, size and quality of each trial, with the change
 * against the baseline for the figures people decide by.
 */
public final class SummaryTable {
    private static final List<String> HEADERS = List.of("trial", "status", "latency p50 ms", "p95 ms", "TTFT ms",
            "gen tok/s", "vs baseline", "load ms", "RSS MB", "size MB", "judge win", "KLD");

    private SummaryTable() {
    }

    public static String render(List<TrialSummary> summaries) {
        TextTable table = new TextTable(HEADERS);
        for (TrialSummary s : summaries) {
            List<String> cells = new ArrayList<>();
            cells.add((s.baseline() && s.referenceTrialId() == null ? "* " : "") + s.label());
            cells.add(s.status() == null ? "" : s.status().toLowerCase(Locale.ROOT));
            cells.add(number(median(s.latencyMillis()), 1));
            cells.add(number(s.latencyMillis() == null ? null : s.latencyMillis().p95(), 1));
            cells.add(number(median(s.ttftMillis()), 1));
            cells.add(number(median(s.generationTokensPerSecond()), 1));
            cells.add(change(s, Metric.GENERATION_TOKENS_PER_SECOND));
            cells.add(number(s.loadMillis() == null ? null : s.loadMillis().doubleValue(), 0));
            cells.add(number(megabytes(s.peakRssBytes()), 0));
            cells.add(number(megabytes(s.modelSizeBytes()), 1));
            cells.add(s.quality() == null || s.quality().judgeWin() == null ? ""
                    : String.format(Locale.ROOT, "%.0f%%", s.quality().judgeWin().rate() * 100));
            cells.add(s.quality() == null || s.quality().klDivergenceMean() == null ? ""
                    : String.format(Locale.ROOT, "%.5f", s.quality().klDivergenceMean()));
            table.row(cells);
        }
        return table.render() + "* the reference: the baseline variant on the model's first artifact" + System.lineSeparator();
    }

    private static Double median(Distribution distribution) {
        return distribution == null ? null : distribution.p50();
    }

    private static Double megabytes(Long bytes) {
        return bytes == null ? null : bytes / 1_000_000.0;
    }

    private static String number(Double value, int decimals) {
        return value == null ? "" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String change(TrialSummary summary, Metric metric) {
        Change change = summary.changeVsBaseline() == null ? null : summary.changeVsBaseline().get(metric.key);
        if (change == null) {
            return "";
        }
        String mark = change.better() == null ? "" : change.better() ? " better" : " worse";
        return String.format(Locale.ROOT, "%+.1f%%%s", change.percent(), mark);
    }
}
