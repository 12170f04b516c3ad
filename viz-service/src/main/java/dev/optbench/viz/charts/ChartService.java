package dev.optbench.viz.charts;

import dev.optbench.viz.runs.HistoryPoint;
import dev.optbench.viz.runs.RunNotFoundException;
import dev.optbench.viz.runs.RunOverview;
import dev.optbench.viz.runs.RunRepository;
import dev.optbench.viz.runs.TrialView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Draws a chart of one run, or of several runs side by side: reads the runs' summarised trials, gives each its
 * stable colour, keeps the variants asked for and hands them to the chart's builder.
 */
@ApplicationScoped
public class ChartService {
    private static final Logger LOG = Logger.getLogger(ChartService.class);
    private static final Map<ChartKind, ChartBuilder> BUILDERS = new EnumMap<>(Map.of(
            ChartKind.COMPARISON, new ComparisonChart(),
            ChartKind.ROUNDS, new RoundImpactChart(),
            ChartKind.ABLATION, new AblationChart(),
            ChartKind.PARETO, new ParetoChart(),
            ChartKind.SUMMARY, new SummaryTable(),
            ChartKind.PROGRESS, new ProgressChart(),
            ChartKind.HISTORY, new HistoryChart()));

    private final RunRepository runs;

    public ChartService(RunRepository runs) {
        this.runs = runs;
    }

    /**
     * @throws RunNotFoundException  when a run is not stored
     * @throws ChartRequestException when the request names a variant that none of the runs has
     */
    public Figure figure(List<UUID> runIds, ChartRequest request) {
        LOG.debugf("drawing %s of runs %s for variants %s", request.kind().slug, runIds, request.variants());
        List<RunOverview> overviews = runIds.stream()
                .map(id -> runs.find(id).orElseThrow(() -> new RunNotFoundException(id.toString())))
                .toList();
        List<TrialView> trials = runs.trials(runIds);
        VariantColours colours = VariantColours.assign(trials);
        checkVariants(trials, request.variants());
        List<ChartSeries> series = trials.stream()
                .filter(TrialView::summarised)
                .filter(trial -> colours.isReference(trial.trialId()) || kept(trial, request.variants()))
                .map(trial -> new ChartSeries(label(trial, overviews), colours.colour(trial.trialId()),
                        colours.isReference(trial.trialId()), trial))
                .toList();
        List<HistoryPoint> history = request.kind() == ChartKind.HISTORY
                ? runs.history(series.stream().map(s -> s.trial().trialId()).toList(),
                request.options().metricOr(HistoryChart.DEFAULT_METRIC))
                : List.of();
        ChartInput input = new ChartInput(subject(overviews), series,
                overviews.stream().anyMatch(RunOverview::syntheticModel), history);
        return BUILDERS.get(request.kind()).build(input, request.options());
    }

    private static boolean kept(TrialView trial, Set<String> variants) {
        return variants.isEmpty() || variants.contains(trial.variantName()) || variants.contains(trial.label());
    }

    private static void checkVariants(List<TrialView> trials, Set<String> variants) {
        Set<String> known = new TreeSet<>();
        trials.forEach(trial -> {
            known.add(trial.variantName());
            known.add(trial.label());
        });
        Set<String> unknown = new TreeSet<>(variants);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ChartRequestException("variants", "no variant named " + String.join(", ", unknown)
                    + "; this run has " + String.join(", ", known));
        }
    }

    // Several runs side by side: each label says which run it comes from.
    private static String label(TrialView trial, List<RunOverview> overviews) {
        if (overviews.size() == 1) {
            return trial.label();
        }
        long sameName = overviews.stream().filter(run -> run.name().equals(trial.runName())).count();
        String run = sameName > 1 ? trial.runName() + " (" + trial.runId().toString().substring(0, 8) + ")" : trial.runName();
        return run + " · " + trial.label();
    }

    private static String subject(List<RunOverview> overviews) {
        if (overviews.size() == 1) {
            RunOverview run = overviews.getFirst();
            return "Run " + run.name() + " · " + String.join(", ", run.modelRefs()) + " · pool " + run.pool();
        }
        return "Runs " + overviews.stream().map(RunOverview::name).collect(Collectors.joining(" vs "));
    }
}
