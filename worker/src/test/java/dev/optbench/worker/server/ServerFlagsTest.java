package dev.optbench.worker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.flags.FlagRejectedException;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.worker.TestWorker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerFlagsTest {
    private static final LlamaBinary OLDER = new LlamaBinary(Path.of("/opt/old"), "4000", "abc1234", "cpu", LlamaBinary.parseHelp("""
            -t,    --threads N                      number of threads
            -fa,   --flash-attn                     enable Flash Attention
            -ctk,  --cache-type-k TYPE              KV cache data type for K
            """));

    private static List<String> current(Flag... flags) throws Exception {
        return new ServerFlags(FlagPolicy.pinnedRelease(), TestWorker.binary()).arguments(List.of(flags), ref -> Path.of("/models", ref));
    }

    private static List<String> older(Flag... flags) {
        return new ServerFlags(FlagPolicy.pinnedRelease(), OLDER).arguments(List.of(flags), ref -> Path.of("/models", ref));
    }

    @Test
    void aBareFlashAttentionBecomesOnForABinaryThatWantsAValue() throws Exception {
        assertEquals(List.of("--flash-attn", "on"), current(new Flag("--flash-attn", null)));
        assertEquals(List.of("--flash-attn", "auto"), current(new Flag("-fa", "auto")));
    }

    @Test
    void flashAttentionStaysBareForAnOlderBinaryThatTakesNoValue() {
        assertEquals(List.of("--flash-attn"), older(new Flag("-fa", "on")), "the older build takes the switch without a value");
        assertEquals(List.of(), older(new Flag("--flash-attn", "off")), "off is the older build's default");
    }

    @Test
    void flagsAreSpeltTheWayTheBinaryListsThem() throws Exception {
        assertEquals(List.of("--threads", "4", "--cache-type-k", "q8_0"), current(new Flag("-t", "4"), new Flag("-ctk", "q8_0")));
    }

    @Test
    void aDraftModelIsResolvedInsideTheModelsDirectory() throws Exception {
        assertEquals(List.of("--spec-draft-model", "/models/draft.gguf"), current(new Flag("--spec-draft-model", "draft.gguf")));
    }

    @Test
    void flagsTheWorkerOwnsOrThePolicyRefusesAreRejectedEvenFromAJobMessage() {
        FlagRejectedException host = assertThrows(FlagRejectedException.class, () -> current(new Flag("--host", "0.0.0.0")));
        assertTrue(host.getMessage().startsWith("--host is not allowed: the worker owns --host"), host.getMessage());
        assertThrows(FlagRejectedException.class, () -> current(new Flag("--log-file", "/tmp/x")));
        assertThrows(FlagRejectedException.class, () -> current(new Flag("--threads", "4; rm -rf /")));
    }

    @Test
    void aFlagTheBinaryDoesNotListIsRejectedWithTheBuild() {
        FlagRejectedException e = assertThrows(FlagRejectedException.class, () -> older(new Flag("--spec-type", "ngram-simple")));
        assertEquals("--spec-type is not accepted by this worker's llama-server (4000, commit abc1234)", e.getMessage());
    }
}
