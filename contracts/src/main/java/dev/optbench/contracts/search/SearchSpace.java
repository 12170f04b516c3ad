package dev.optbench.contracts.search;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * What a search may choose from; the configurations are the cartesian product of the flag axes, the models and
 * their artifacts (each quantization type, and each pruning level of the model file).
 *
 * @param flags         flag to its values: a list ({@code ["on", "off"]}, {@code [null]} for a switch) or an integer
 *                      range ({@code {"from": 1, "to": 8, "step": 1}})
 * @param quantizations llama-quantize types; the first is the baseline's artifact (list the model's own type first,
 *                      e.g. {@code F16}); none: the model file as it is
 * @param pruneLevels   blocks to drop from the model file, each one more artifact ({@code 0} is not pruning)
 */
public record SearchSpace(LinkedHashMap<String, Object> flags, List<String> quantizations, List<Integer> pruneLevels) {
}
