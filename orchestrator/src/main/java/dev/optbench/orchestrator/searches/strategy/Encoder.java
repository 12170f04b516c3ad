package dev.optbench.orchestrator.searches.strategy;

import dev.optbench.contracts.search.SearchConfig;
import dev.optbench.orchestrator.searches.spec.PlannedSearch;
import dev.optbench.orchestrator.searches.spec.PlannedSearch.FlagAxis;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a configuration into the proposer's coordinates: one-hot for the artifact and each categorical flag, the
 * value scaled to [0, 1] for a numeric one, and per flag one coordinate that says it is not set (the baseline's
 * configuration need not be a point of the space).
 */
public final class Encoder {
    private final PlannedSearch search;

    public Encoder(PlannedSearch search) {
        this.search = search;
    }

    public double[] encode(SearchConfig config) {
        List<Double> point = new ArrayList<>();
        for (PlannedSearch.SearchArtifact artifact : search.artifacts()) {
            point.add(artifact.label().equals(config.artifactLabel()) ? 1.0 : 0.0);
        }
        for (FlagAxis axis : search.axes()) {
            boolean set = config.flags().containsKey(axis.flag());
            Object value = config.flags().get(axis.flag());
            point.add(set ? 0.0 : 1.0);
            if (axis.numeric()) {
                double min = axis.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).min().orElse(0);
                double max = axis.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(0);
                double v = set && value instanceof Number n ? n.doubleValue() : min;
                point.add(!set || max == min ? 0.0 : (v - min) / (max - min));
            } else {
                for (Object candidate : axis.values()) {
                    point.add(set && same(candidate, value) ? 1.0 : 0.0);
                }
            }
        }
        return point.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a == null ? null : a.toString(), b == null ? null : b.toString());
    }
}
