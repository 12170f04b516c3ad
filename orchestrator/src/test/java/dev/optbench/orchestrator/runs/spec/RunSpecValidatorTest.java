package dev.optbench.orchestrator.runs.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.orchestrator.prompts.PromptSetCatalogue;
import dev.optbench.orchestrator.support.TestConfig;
import dev.optbench.orchestrator.workers.PoolCapabilities;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunSpecValidatorTest {
    private static final PromptSetCatalogue PROMPTS = new PromptSetCatalogue();
    private static final RunSpecValidator VALIDATOR = new RunSpecValidator(TestConfig.defaults(), PROMPTS);

    private static PlannedRun plan(String json) {
        return plan(json, PoolCapabilities.UNANNOUNCED);
    }

    private static PlannedRun plan(String json, Collection<String> accepted) {
        return plan(json, new PoolCapabilities(accepted == null ? null : List.copyOf(accepted), false));
    }

    private static PlannedRun plan(String json, PoolCapabilities pool) {
        FieldErrors errors = new FieldErrors();
        return VALIDATOR.validate(RunSpecReader.read(json, errors), pool, errors);
    }

    private static Map<String, String> errorsOf(String json, Collection<String> accepted) {
        InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> plan(json, accepted));
        return e.errors().stream().collect(Collectors.toMap(FieldErrors.FieldError::field, FieldErrors.FieldError::message));
    }

    private static Map<String, String> errorsOf(String json) {
        return errorsOf(json, null);
    }

    @Test
    void expandsTheIssuesExampleToBaselineVariantsAndTheSweepsCartesianProduct() {
        PlannedRun run = plan("""
                {"name": "golden-trace", "pool": "cpu",
                 "models": [{"ref": "synthetic:tiny", "quantizations": ["F16", "Q8_0", "q4_k_m"]},
                            {"ref": "granite-3.2-2b-instruct-f16.gguf", "prune": {"dropLayers": 4, "from": "end"}}],
                 "baseline": {"name": "Baseline", "flags": {}},
                 "variants": [
                   {"name": "Flash Attention + Cache f16", "flags": {"--flash-attn": null, "--cache-type-k": "f16", "--cache-type-v": "f16", "--threads": 4}},
                   {"name": "KV q8_0", "flags": {"--flash-attn": "on", "--cache-type-k": "q8_0", "--cache-type-v": "q8_0"}},
                   {"name": "Speculative (ngram)", "flags": {"--spec-type": "ngram-simple"}},
                   {"name": "no-kv-offload", "flags": {"--no-kv-offload": null}}],
                 "sweep": {"name": "window", "base": {"--context-shift": null},
                           "axes": {"--ctx-size": [128, 256, 512, 1024], "--keep": [0, 1, 4, 16]}},
                 "workload": {"prompts": "builtin:assistant-mix", "rounds": 5, "repetitions": 3, "maxTokens": 128,
                              "temperature": 0, "seed": 42, "concurrency": [1, 4]},
                 "quality": {"judge": true, "perplexity": {"corpus": "builtin:sample-text"}}}""");
        assertEquals(1 + 4 + 16, run.variants().size());
        assertTrue(run.variants().get(0).baseline());
        assertEquals(List.of(new Flag("--flash-attn", "on"), new Flag("--cache-type-k", "f16"), new Flag("--cache-type-v", "f16"),
                new Flag("--threads", "4")), run.variants().get(1).flags());
        PlannedRun.PlannedVariant point = run.variants().get(5);
        assertEquals("window --ctx-size=128 --keep=0", point.name());
        assertEquals(List.of(new Flag("--context-shift", null), new Flag("--ctx-size", "128"), new Flag("--keep", "0")), point.flags());
        assertEquals(Map.of("--ctx-size", new java.math.BigDecimal("128"), "--keep", new java.math.BigDecimal("0")), point.sweepValues(),
                "a sweep point keeps each axis value as written (numbers stay numbers for the charts' axes)");
        assertNull(run.variants().get(1).sweepValues());
        assertEquals("window --ctx-size=1024 --keep=16", run.variants().get(20).name());
        assertEquals(List.of("synthetic:tiny F16", "synthetic:tiny Q8_0", "synthetic:tiny Q4_K_M",
                        "granite-3.2-2b-instruct-f16.gguf", "granite-3.2-2b-instruct-f16.gguf pruned-4-end"),
                run.artifacts().stream().map(PlannedRun.PlannedArtifact::label).toList());
        assertEquals(21 * 5, run.trialCount());
        assertEquals(8, run.workload().conversations().size());
        assertEquals(8 * 5 * 3 * 2, run.workload().sampleCount());
        assertTrue(run.judge());
        assertEquals("builtin:sample-text", run.perplexityCorpus());
    }

    @Test
    void appliesDocumentedDefaults() {
        PlannedRun run = plan("""
                {"name": "defaults", "pool": "cpu", "models": ["synthetic:tiny"]}""");
        assertEquals(1, run.variants().size());
        assertEquals("Baseline", run.variants().get(0).name());
        assertNull(run.artifacts().get(0).quantization());
        assertEquals(1, run.workload().repetitions());
        assertEquals(128, run.workload().maxTokens());
        assertEquals(42, run.workload().seed());
        assertEquals(List.of(1), run.workload().concurrency());
        assertEquals(PROMPTS.find("builtin:assistant-mix").orElseThrow().turns(), run.workload().sampleCount());
    }

    @Test
    void takesInlineMultiRoundConversationsWithReferences() {
        PlannedRun run = plan("""
                {"name": "inline", "pool": "cpu", "models": ["synthetic:tiny"],
                 "workload": {"conversations": [["Hi", "And then?"], [{"prompt": "2+2?", "reference": "4"}]], "rounds": 1}}""");
        assertEquals(2, run.workload().conversations().size());
        assertEquals(1, run.workload().conversations().get(0).turns().size());
        assertEquals("4", run.workload().conversations().get(1).turns().get(0).reference());
    }

    @Test
    void rejectsForbiddenUnknownAndWronglyTypedFlagsNamingEach() {
        Map<String, String> errors = errorsOf("""
                {"name": "bad-flags", "pool": "cpu", "models": ["synthetic:tiny"],
                 "variants": [{"name": "a", "flags": {"--threads": "four"}},
                              {"name": "b", "flags": {"--port": 8080, "--tools": "all", "--no-such-flag": null, "--log-file": "x"}}]}""");
        assertTrue(errors.get("variants[0].flags.--threads").startsWith("takes an integer"), errors.toString());
        assertTrue(errors.get("variants[1].flags.--port").contains("the worker owns --port"), errors.toString());
        assertTrue(errors.get("variants[1].flags.--tools").contains("tools"), errors.toString());
        assertTrue(errors.get("variants[1].flags.--no-such-flag").startsWith("is not a llama-server flag"), errors.toString());
        assertTrue(errors.get("variants[1].flags.--log-file").contains("writes files"), errors.toString());
        assertEquals(5, errors.size(), errors.toString());
    }

    @Test
    void rejectsFlagsThePoolsWorkersDoNotAccept() {
        Map<String, String> errors = errorsOf("""
                {"name": "pool-flags", "pool": "old", "models": ["synthetic:tiny"],
                 "variants": [{"name": "a", "flags": {"--threads": 4, "--spec-type": "ngram-simple"}}]}""",
                List.of("--threads", "-t", "--ctx-size"));
        assertEquals(Map.of("variants[0].flags.--spec-type", "is not accepted by the llama-server of this pool's workers"), errors);
    }

    @Test
    void rejectsModelPathsThatLeaveTheModelsDirectoryAndUnknownQuantizations() {
        Map<String, String> errors = errorsOf("""
                {"name": "paths", "pool": "cpu",
                 "models": [{"ref": "../etc/passwd.gguf"}, {"ref": "/abs/model.gguf"}, {"ref": "ok.gguf", "quantizations": ["Q4_0", "Q9_X"]},
                            {"ref": "ok2.gguf", "prune": {"dropLayers": 0, "from": "start"}}]}""");
        assertTrue(errors.get("models[0].ref").contains("inside the models directory"), errors.toString());
        assertTrue(errors.get("models[1].ref").contains("relative"), errors.toString());
        assertTrue(errors.get("models[2].quantizations[1]").startsWith("is not a llama-quantize type"), errors.toString());
        assertTrue(errors.containsKey("models[3].prune.dropLayers"), errors.toString());
        assertEquals("must be end or middle", errors.get("models[3].prune.from"));
    }

    @Test
    void rejectsHuggingFaceRefsThatNoWorkerCanDownload() {
        Map<String, String> errors = errorsOf("""
                {"name": "hf", "pool": "cpu", "models": [{"ref": "hf:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M"}]}""");
        assertTrue(errors.get("models[0].ref").contains("needs a download") && errors.get("models[0].ref").contains("OPTBENCH_MODEL_HUB_URL"),
                errors.toString());
    }

    @Test
    void acceptsHuggingFaceRefsForAPoolWhoseWorkersDownload() {
        PlannedRun plan = plan("""
                {"name": "hf", "pool": "gpu", "models": [{"ref": "hf:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M", "quantizations": ["Q4_K_M"]},
                                                        {"ref": "hf:bartowski/Llama-3.2-1B-Instruct-GGUF", "prune": {"dropLayers": 2}}]}""",
                new PoolCapabilities(null, true));
        assertEquals(List.of("hf:ggml-org/gemma-3-1b-it-GGUF:Q4_K_M", "hf:bartowski/Llama-3.2-1B-Instruct-GGUF", "hf:bartowski/Llama-3.2-1B-Instruct-GGUF"),
                plan.artifacts().stream().map(PlannedRun.PlannedArtifact::modelRef).toList());
    }

    @Test
    void rejectsHubRefsThatCouldLeaveTheCacheOrAreNotHubNames() {
        PoolCapabilities downloads = new PoolCapabilities(null, true);
        for (String ref : List.of("hf:../x", "hf:./x", "hf:a/..", "hf:-a/b", "hf:a/b.", "hf:a--b/c", "hf:a/b..c", "hf:a/b/c", "hf:a/b:", "hf:a/b:../x")) {
            InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> plan("""
                    {"name": "hf", "pool": "gpu", "models": ["%s"]}""".formatted(ref), downloads), ref);
            assertEquals("models[0].ref", e.errors().getFirst().field(), ref);
        }
    }

    @Test
    void rejectsAbsurdSizes() {
        Map<String, String> errors = errorsOf("""
                {"name": "huge", "pool": "cpu", "models": ["synthetic:tiny"],
                 "sweep": {"axes": {"--ctx-size": [128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 0, 64, 96],
                                    "--keep": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]}},
                 "workload": {"rounds": 1000, "repetitions": 100000, "maxTokens": 0, "concurrency": [1, 1, 9999]}}""");
        assertTrue(errors.get("sweep.axes").startsWith("expands to 289 variants"), errors.toString());
        assertTrue(errors.containsKey("workload.rounds"), errors.toString());
        assertTrue(errors.containsKey("workload.repetitions"), errors.toString());
        assertTrue(errors.containsKey("workload.maxTokens"), errors.toString());
        assertTrue(errors.get("workload.concurrency[1]").startsWith("repeats"), errors.toString());
        assertTrue(errors.containsKey("workload.concurrency[2]"), errors.toString());
    }

    @Test
    void refusesASweepWhoseVariantCountOverflowsALongInsteadOfExpandingIt() {
        String axis = java.util.stream.IntStream.rangeClosed(1, 256).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
        String axes = java.util.stream.Stream.of("--threads", "--threads-batch", "--ctx-size", "--n-predict", "--batch-size", "--ubatch-size",
                "--keep", "--n-cpu-moe").map(flag -> "\"" + flag + "\": " + axis).collect(Collectors.joining(", "));
        Map<String, String> errors = errorsOf("""
                {"name": "2^64 variants", "pool": "cpu", "models": ["synthetic:tiny"], "sweep": {"axes": {%s}}}""".formatted(axes));
        assertTrue(errors.get("sweep.axes").startsWith("expands to more than"), errors.toString());
    }

    @Test
    void refusesATinyFractionForAnIntegerFlagAndAnOverlongCorpusPath() {
        Map<String, String> errors = errorsOf("""
                {"name": "r", "pool": "cpu", "models": ["synthetic:tiny"], "baseline": {"flags": {"--threads": 1e-991}},
                 "quality": {"perplexity": {"corpus": "%s.txt"}}}""".formatted("c".repeat(300)));
        assertTrue(errors.get("baseline.flags.--threads").startsWith("takes"), errors.toString());
        assertTrue(errors.get("quality.perplexity.corpus").startsWith("is longer than"), errors.toString());
    }

    @Test
    void rejectsMissingFieldsBadPoolsAndDuplicateNames() {
        Map<String, String> errors = errorsOf("""
                {"pool": "bad pool!", "variants": [{"name": "Baseline", "flags": {}}, {"flags": {}}],
                 "workload": {"prompts": "builtin:nope"}, "quality": {"perplexity": {"corpus": "../secret.txt"},
                 "judgeModel": {"provider": "acme", "baseUrl": "file:///etc", "model": ""}}}""");
        assertEquals("is required", errors.get("name"));
        assertTrue(errors.get("pool").startsWith("must be 1-100 letters"), errors.toString());
        assertTrue(errors.get("models").startsWith("needs at least one model"), errors.toString());
        assertTrue(errors.get("variants[0].name").contains("already the name of baseline"), errors.toString());
        assertEquals("is required", errors.get("variants[1].name"));
        assertTrue(errors.get("workload.prompts").startsWith("is not a shipped prompt set"), errors.toString());
        assertTrue(errors.containsKey("quality.perplexity.corpus"), errors.toString());
        assertTrue(errors.containsKey("quality.judgeModel.provider"), errors.toString());
        assertTrue(errors.containsKey("quality.judgeModel.baseUrl"), errors.toString());
        assertTrue(errors.containsKey("quality.judgeModel.model"), errors.toString());
    }

    @Test
    void rejectsASweepAxisThatRepeatsABaseFlagUnderAnotherSpelling() {
        Map<String, String> errors = errorsOf("""
                {"name": "dup", "pool": "cpu", "models": ["synthetic:tiny"],
                 "sweep": {"base": {"-c": 512}, "axes": {"--ctx-size": [128, 256], "--keep": []}}}""");
        assertTrue(errors.get("sweep.axes.--ctx-size").startsWith("is already set"), errors.toString());
        assertTrue(errors.get("sweep.axes.--keep").startsWith("is empty"), errors.toString());
    }
}
