package dev.optbench.worker.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.worker.TestWorker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlamaBinaryTest {

    @Test
    void readsVersionCommitAndFlagsFromTheBuiltServer() throws Exception {
        LlamaBinary binary = TestWorker.binary();
        assertTrue(binary.commit().matches("[0-9a-f]{7,40}"), binary.commit());
        assertTrue(binary.flags().size() > 150, "llama-server lists a couple of hundred flags: " + binary.flags().size());
        assertEquals(new FlagSyntax("--flash-attn", FlagSyntax.Arity.OPTIONAL, List.of("on", "off", "auto")), binary.syntax("--flash-attn"));
        assertEquals(FlagSyntax.Arity.OPTIONAL, binary.syntax("-fa").arity());
        assertEquals(FlagSyntax.Arity.REQUIRED, binary.syntax("-t").arity());
        assertEquals(FlagSyntax.Arity.REQUIRED, binary.syntax("--threads").arity());
        assertEquals(FlagSyntax.Arity.NONE, binary.syntax("--swa-full").arity());
        assertEquals(List.of("none", "linear", "yarn"), binary.syntax("--rope-scaling").choices());
        assertTrue(binary.accepts("--metrics") && binary.accepts("--spec-type"));
        assertEquals("cpu", binary.backend());
    }

    @Test
    void readsBothVersionLineFormats() {
        assertArrayEquals(new String[] {"0.5.0-dev", "de3ff81"}, LlamaBinary.parseVersion("version: 0.5.0-dev (build 1, commit de3ff81)\nbuilt with GNU"));
        assertArrayEquals(new String[] {"4567", "abc1234"}, LlamaBinary.parseVersion("version: 4567 (abc1234)\nbuilt with clang"));
    }

    @Test
    void readsAnOlderHelpWhereFlashAttentionIsABareSwitch() {
        Map<String, FlagSyntax> flags = LlamaBinary.parseHelp("""
                ----- common params -----

                -t,    --threads N                      number of threads to use during generation (default: -1)
                -fa,   --flash-attn                     enable Flash Attention (default: disabled)
                --save-all-logits, --kl-divergence-base FNAME
                                                        set logits file
                """);
        assertEquals(FlagSyntax.Arity.NONE, flags.get("--flash-attn").arity());
        assertEquals(FlagSyntax.Arity.NONE, flags.get("-fa").arity());
        assertEquals(FlagSyntax.Arity.REQUIRED, flags.get("-t").arity());
        assertEquals(FlagSyntax.Arity.REQUIRED, flags.get("--save-all-logits").arity());
        assertEquals(List.of("--flash-attn", "--kl-divergence-base", "--save-all-logits", "--threads", "-fa", "-t"), flags.keySet().stream().sorted().toList());
    }
}
