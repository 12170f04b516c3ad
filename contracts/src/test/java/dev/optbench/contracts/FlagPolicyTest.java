package dev.optbench.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.messages.Flag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagPolicyTest {
    private final FlagPolicy policy = FlagPolicy.pinnedRelease();

    @Test
    void aBareFlashAttnBecomesOn() {
        assertEquals(new Flag("--flash-attn", "on"), policy.normalise("--flash-attn", null));
        assertEquals(new Flag("--flash-attn", "off"), policy.normalise("-fa", "off"));
    }

    @Test
    void shortNamesBecomeTheCanonicalLongName() {
        assertEquals(new Flag("--gpu-layers", "99"), policy.normalise("-ngl", 99));
        assertEquals(new Flag("--threads", "4"), policy.normalise("-t", 4));
        assertEquals(new Flag("--gpu-layers", "all"), policy.normalise("--n-gpu-layers", "all"));
    }

    @Test
    void switchesTakeNoValue() {
        assertNull(policy.normalise("--no-kv-offload", null).value());
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--no-kv-offload", "yes"));
    }

    @Test
    void overrideTensorTakesOnlyTheTensorPatternEqualsBufferTypeFormThatLlamaServerAccepts() {
        assertEquals("blk\\.[0-9]+\\.ffn_.*=CPU", policy.normalise("-ot", "blk\\.[0-9]+\\.ffn_.*=CPU").value());
        assertEquals("exps=CPU,attn=CUDA0", policy.normalise("--override-tensor", "exps=CPU,attn=CUDA0").value());
        for (String refused : List.of("$(reboot)", "blk.*", "=CPU", "exps=", "exps=CPU;reboot", "exps=CPU,", "a=b=c")) {
            assertThrows(FlagRejectedException.class, () -> policy.normalise("--override-tensor", refused), refused);
        }
    }

    @Test
    void rejectsFlagsThatTheWorkerOwns() {
        for (String flag : List.of("--host", "--port", "--model", "-m", "--metrics")) {
            FlagRejectedException e = assertThrows(FlagRejectedException.class, () -> policy.normalise(flag, "x"));
            assertTrue(e.getMessage().contains("not allowed"), flag + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsFlagsThatWriteFilesOrOpenTools() {
        assertTrue(assertThrows(FlagRejectedException.class, () -> policy.normalise("--log-file", "/tmp/x")).getMessage().contains("writes files"));
        assertTrue(assertThrows(FlagRejectedException.class, () -> policy.normalise("--tools", "all")).getMessage().contains("tools"));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--slot-save-path", "/tmp"));
    }

    @Test
    void rejectsUnknownFlags() {
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--make-it-fast", null));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("threads", 4));
    }

    @Test
    void rejectsValuesOfTheWrongKind() {
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--threads", "four"));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--threads", 2.5));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--threads", 100000));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--cache-type-k", "q3_x"));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--ctx-size", List.of(1, 2)));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--device", "cuda0; rm -rf /"));
    }

    @Test
    void aDraftModelMustStayInsideTheModelsDirectory() {
        assertEquals("draft/small.gguf", policy.normalise("-md", "draft/small.gguf").value());
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--spec-draft-model", "../../etc/passwd"));
        assertThrows(FlagRejectedException.class, () -> policy.normalise("--spec-draft-model", "/etc/passwd.gguf"));
    }

    @Test
    void reportsEveryViolationAndTheSameFlagSpelledTwice() {
        LinkedHashMap<String, Object> flags = new LinkedHashMap<>();
        flags.put("--threads", 4);
        flags.put("-t", 2);
        flags.put("--port", 9);
        List<FlagPolicy.Violation> violations = policy.check(flags, null);
        assertEquals(List.of("-t", "--port"), violations.stream().map(FlagPolicy.Violation::flag).toList());
    }

    @Test
    void rejectsAFlagThePoolsWorkersDoNotAccept() {
        LinkedHashMap<String, Object> flags = new LinkedHashMap<>();
        flags.put("--spec-type", "ngram-simple");
        flags.put("-t", 2);
        List<FlagPolicy.Violation> violations = policy.check(flags, Set.of("--threads", "-t"));
        assertEquals(List.of("--spec-type"), violations.stream().map(FlagPolicy.Violation::flag).toList());
    }

    @Test
    void numbersAreWrittenAsLlamaServerReadsThem() {
        assertEquals("0.5", policy.normalise("--top-p", 0.50).value());
        assertEquals("3,1", policy.normalise("--tensor-split", "3.0, 1").value());
        assertEquals("ngram-simple,draft-simple", policy.normalise("--spec-type", "ngram-simple, draft-simple").value());
    }
}
