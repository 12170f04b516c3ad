package dev.optbench.viz.runs;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A run with all its trials: the run page and {@code GET /api/runs/{id}}.
 */
public record RunDetail(RunOverview run, List<TrialView> trials) {

    /**
     * What changes while a run goes on (its own stamp, a trial's progress, a new summary): the page redraws its
     * charts when this moves.
     */
    public String version() {
        Instant latest = Stream.concat(Stream.of(run.updatedAt()),
                        trials.stream().flatMap(t -> Stream.of(t.summaryUpdatedAt(), t.finishedAt(), t.startedAt())))
                .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        long samples = trials.stream().map(TrialView::samplesDone).filter(Objects::nonNull).mapToLong(Integer::longValue).sum();
        return latest.toEpochMilli() + "-" + samples;
    }

    public List<TrialView> failures() {
        return trials.stream().filter(TrialView::failed).toList();
    }

    /** Variant names in run order, for the filter. */
    public List<String> variantNames() {
        return trials.stream().map(TrialView::variantName).distinct().toList();
    }

    public String baselineName() {
        return trials.stream().filter(TrialView::baseline).map(TrialView::variantName).findFirst().orElse(null);
    }

    /** Whether any variant belongs to a sweep, so the ablation chart has something to draw. */
    public boolean hasSweep() {
        return trials.stream().anyMatch(t -> !t.sweepValues().isEmpty());
    }
}
