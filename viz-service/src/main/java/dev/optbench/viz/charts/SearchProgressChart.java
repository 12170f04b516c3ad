package dev.optbench.viz.charts;

import dev.optbench.contracts.search.SearchResult;
import dev.optbench.contracts.search.SearchResult.ProgressPoint;
import dev.optbench.contracts.search.SearchResult.SearchTrial;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A search's progress: the best objective that met the constraints so far against trials spent (a step line), each
 * trial's own value (filled when it met them, hollow grey when not), and the baseline's value as a dashed line.
 */
public final class SearchProgressChart {
    private static final Color BEST = new Color(0x1F, 0x6F, 0xB4);
    private static final Color INFEASIBLE = new Color(0x99, 0x99, 0x99);
    private static final Color BASELINE = new Color(0xD6, 0x27, 0x28);

    private SearchProgressChart() {
    }

    public static Figure build(String searchName, SearchResult result) {
        XYSeries best = new XYSeries("best so far that meets the constraints");
        XYSeries feasible = new XYSeries("a trial that meets them");
        XYSeries infeasible = new XYSeries("a trial that breaks one");
        DataTable data = new DataTable("trials", "stage", "config", result.objective(), "feasible", "bestSoFar", "bestConfig",
                "rooflineShare");
        for (int i = 0; i < result.progress().size(); i++) {
            ProgressPoint point = result.progress().get(i);
            SearchTrial trial = result.trials().get(i);
            if (point.bestSoFar() != null) {
                best.add(point.trials(), point.bestSoFar());
            }
            if (point.trialObjective() != null) {
                (Boolean.TRUE.equals(point.trialFeasible()) ? feasible : infeasible).add(point.trials(), point.trialObjective());
            }
            data.add(point.trials(), trial.stage(), trial.config(), point.trialObjective(), point.trialFeasible(), point.bestSoFar(),
                    point.bestConfig(), trial.rooflineShare());
        }
        XYSeriesCollection steps = new XYSeriesCollection(best);
        XYStepRenderer stepRenderer = new XYStepRenderer();
        stepRenderer.setSeriesPaint(0, BEST);
        stepRenderer.setSeriesStroke(0, ChartStyle.LINE);
        XYSeriesCollection trials = new XYSeriesCollection();
        trials.addSeries(feasible);
        trials.addSeries(infeasible);
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        points.setSeriesPaint(0, BEST);
        points.setSeriesShape(0, ChartStyle.POINT);
        points.setSeriesPaint(1, INFEASIBLE);
        points.setSeriesShape(1, ChartStyle.POINT);
        points.setSeriesShapesFilled(1, false);
        points.setUseOutlinePaint(false);
        NumberAxis x = new NumberAxis("Trials spent");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(result.objectiveTitle());
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(steps, x, y, stepRenderer);
        plot.setDataset(1, trials);
        plot.setRenderer(1, points);
        plot.setNoDataMessage("No trial of this search has ended yet.");
        var pick = result.recommendation();
        if (pick != null && pick.baselineObjective() != null) {
            plot.addRangeMarker(ChartStyle.levelMarker(pick.baselineObjective(), BASELINE,
                    String.format(Locale.ROOT, "baseline %.4g", pick.baselineObjective())));
        }
        ChartStyle.style(plot);
        JFreeChart chart = new JFreeChart("Search progress", ChartStyle.TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.getTitle().setPaint(ChartStyle.TEXT);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s: %d trial(s)%s over %d configurations, %s", searchName, result.trialsSpent(),
                result.trialBudget() == null ? "" : " of " + result.trialBudget(), result.spaceSize(),
                result.higherIsBetter() ? "higher is better" : "lower is better"));
        if (pick != null) {
            lines.add(String.format(Locale.ROOT, "recommended: %s%s", pick.label(), pick.gainPercent() == null ? ""
                    : String.format(Locale.ROOT, " (%+.1f %% vs baseline, 95 %% interval %+.1f to %+.1f %%)", pick.gainPercent().estimate(),
                    pick.gainPercent().low(), pick.gainPercent().high())));
        }
        for (String line : lines) {
            TextTitle subtitle = new TextTitle(line, ChartStyle.SUBTITLE);
            subtitle.setPaint(ChartStyle.MUTED);
            chart.addSubtitle(subtitle);
        }
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(ChartStyle.lineItem(best.getKey().toString(), BEST));
        legend.add(ChartStyle.boxItem(feasible.getKey().toString(), BEST));
        legend.add(ChartStyle.boxItem(infeasible.getKey().toString(), INFEASIBLE));
        ChartStyle.legend(chart, legend);
        return new Figure(chart, 900, 520, data);
    }
}
