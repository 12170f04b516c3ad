package dev.optbench.viz.charts;

import dev.optbench.viz.RunFixture;
import dev.optbench.viz.runs.HistoryPoint;
import dev.optbench.viz.runs.TrialView;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart input the service builds from a stored run, for drawing a fixture's charts without the database;
 * reading the drawn PNGs and SVGs back is {@link dev.optbench.testsupport.ChartImages}.
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

    /**
     * What a chart of the stored run must name, from the run itself rather than from the chart's data: every
     * finished variant; for the ablation, the swept flag's value of each sweep point and the baseline drawn across.
     */
    public static List<String> variantTexts(RunFixture run, ChartKind kind) {
        List<String> texts = new ArrayList<>();
        for (TrialView trial : run.trials) {
            if (!trial.summarised()) {
                continue;
            }
            if (kind != ChartKind.ABLATION || trial.baseline()) {
                texts.add(trial.variantName());
            } else if (!trial.sweepValues().isEmpty()) {
                texts.add(String.valueOf(trial.sweepValues().values().iterator().next()));
            }
        }
        return texts;
    }
}
