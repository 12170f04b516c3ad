package dev.optbench.contracts.spec;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A base set of flags plus axes; it expands to one variant per point of the axes' cartesian product.
 */
public record SweepSpec(String name, LinkedHashMap<String, Object> base, LinkedHashMap<String, List<Object>> axes) {
}
