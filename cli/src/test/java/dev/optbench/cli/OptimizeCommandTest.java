package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptimizeCommandTest {

    @Test
    void flagValuesAreListsRangesOrASwitch() {
        assertEquals(List.of("on", "off"), OptimizeCommand.values("on,off"));
        assertEquals(List.of(128, 512), OptimizeCommand.values("128,512"));
        assertEquals(Map.of("from", 1, "to", 8), OptimizeCommand.values("1..8"));
        assertEquals(Arrays.asList((Object) null), OptimizeCommand.values(""));
    }

    @Test
    void optionsMakeTheSearchSpecThePostTakes() {
        OptimizeCommand command = new OptimizeCommand();
        new CommandLine(command).parseArgs("--name", "s", "--flag", "--flash-attn=on,off", "--flag", "--threads=1..2",
                "--quantizations", "F16,Q8_0", "--prune", "2", "--max-kld", "0.001", "--memory-within-device", "--trials", "12");
        Map<String, Object> spec = command.specFromOptions();
        assertEquals("s", spec.get("name"));
        assertEquals(List.of("synthetic:tiny"), spec.get("models"));
        @SuppressWarnings("unchecked")
        Map<String, Object> space = (Map<String, Object>) spec.get("space");
        assertEquals(Map.of("--flash-attn", List.of("on", "off"), "--threads", Map.of("from", 1, "to", 2)), space.get("flags"));
        assertEquals(List.of("F16", "Q8_0"), space.get("quantizations"));
        assertEquals(List.of(2), space.get("pruneLevels"));
        assertEquals(Map.of("maxKlDivergence", 0.001, "peakMemoryWithinDevice", true), spec.get("constraints"));
        assertEquals(Map.of("trials", 12), spec.get("budget"));
        assertEquals("maxGenerationTokensPerSecond", spec.get("objective"));
    }
}
