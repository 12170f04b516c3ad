package dev.optbench.contracts.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One point of a search space: a model artifact and the flags, as a run spec writes them.
 *
 * @param quantization the llama-quantize type, null for the file as it is
 * @param pruneLayers  blocks dropped from the model file (0: none); a pruned artifact is not quantized
 */
public record SearchConfig(String model, String quantization, int pruneLayers, LinkedHashMap<String, Object> flags) {

    /** The artifact as a run's charts label it: {@code synthetic:tiny Q8_0}, {@code synthetic:tiny pruned-2-end}. */
    public String artifactLabel() {
        StringBuilder label = new StringBuilder(model);
        if (quantization != null) {
            label.append(' ').append(quantization);
        }
        if (pruneLayers > 0) {
            label.append(" pruned-").append(pruneLayers).append("-end");
        }
        return label.toString();
    }

    /** The flags as one line, {@code --flash-attn=on --threads=2}; {@code (no flags)} when there are none. */
    public String flagsLabel() {
        if (flags.isEmpty()) {
            return "(no flags)";
        }
        return flags.entrySet().stream().map(SearchConfig::flagText).collect(Collectors.joining(" "));
    }

    /** A stable identity of the configuration, whatever order its flags were written in (jsonb sorts object keys). */
    public String key() {
        return artifactLabel() + " | " + flags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(SearchConfig::flagText).collect(Collectors.joining(" "));
    }

    public String label() {
        return flagsLabel() + " · " + artifactLabel();
    }

    /** The flags as llama-server argv, in order. */
    public List<String> argv() {
        return flags.entrySet().stream()
                .flatMap(e -> e.getValue() == null ? java.util.stream.Stream.of(e.getKey())
                        : java.util.stream.Stream.of(e.getKey(), String.valueOf(e.getValue())))
                .toList();
    }

    private static String flagText(Map.Entry<String, Object> flag) {
        return flag.getValue() == null ? flag.getKey() : flag.getKey() + "=" + flag.getValue();
    }
}
