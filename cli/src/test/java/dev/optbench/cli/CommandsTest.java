package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.spec.RunSpec;
import dev.optbench.contracts.summary.TrialSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandsTest {

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("submit", "runs", "show", "watch", "cancel", "export", "charts", "compare", "demo", "fetch")) {
            CommandLine commandLine = new CommandLine(new OptBenchCli());
            java.io.StringWriter text = new java.io.StringWriter();
            commandLine.setOut(new java.io.PrintWriter(text));
            assertEquals(0, commandLine.execute(command, "--help"), command);
            assertTrue(text.toString().contains("Usage: optbench " + command), text.toString());
        }
    }

    @Test
    void submitOptionsBuildASpecWithTheVariantsInTheirOrder() throws Exception {
        SubmitCommand submit = new SubmitCommand();
        new CommandLine(submit).parseArgs("--model", "synthetic:tiny", "--name", "t",
                "--optimisations", "[{'--flash-attn': None, '--threads': 4}, {'--no-kv-offload': None}]");
        RunSpec spec = Messages.mapper().readValue(Json.write(submit.specFromOptions()), RunSpec.class);
        assertEquals("t", spec.name());
        assertEquals(List.of("--flash-attn --threads 4", "--no-kv-offload"), spec.variants().stream().map(v -> v.name()).toList());
        assertTrue(spec.variants().get(0).flags().containsKey("--flash-attn"));
        assertEquals(null, spec.variants().get(0).flags().get("--flash-attn"));
    }

    @Test
    void theDemoComparesTheOptimizationsTheIssueAsksFor() throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--threads", "2");
        RunSpec spec = Messages.mapper().readValue(Json.write(demo.spec()), RunSpec.class);
        assertEquals(List.of("F16", "Q8_0", "Q4_K_M"), spec.models().get(0).quantizations());
        assertEquals(1, spec.models().get(0).prune().dropLayers());
        Map<String, Object> golden = spec.variants().get(0).flags();
        assertEquals(List.of("--flash-attn", "--cache-type-k", "--cache-type-v", "--threads"), List.copyOf(golden.keySet()));
        assertTrue(spec.variants().stream().anyMatch(v -> "ngram-simple".equals(v.flags().get("--spec-type"))));
        assertTrue(spec.variants().stream().anyMatch(v -> "q4_0".equals(v.flags().get("--cache-type-k"))));
        assertTrue(spec.quality().judge());
        assertEquals("builtin:sample-text", spec.quality().perplexity().corpus());
        assertTrue(spec.workload().rounds() > 1, "a multi-round conversation workload");
        assertEquals(Map.of("--ctx-size", List.<Object>of(512, 1024)), spec.sweep().axes(), "a sweep for the ablation chart");
    }

    @Test
    void theQuickDemoHasNoSweep() throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--quick", "--threads", "2");
        RunSpec spec = Messages.mapper().readValue(Json.write(demo.spec()), RunSpec.class);
        assertEquals(null, spec.sweep());
        assertEquals(List.of("F16", "Q4_K_M"), spec.models().get(0).quantizations());
    }

    @Test
    void theDemosProgressTargetIsTwentyPercentAboveTheReferenceTrialsThroughput() {
        List<TrialSummary> summaries = List.of(summary(true, "6f0b1c9e-58a2-4f61-a2a8-3f1d2b7c9e01", 50),
                summary(true, null, 40), summary(false, "6f0b1c9e-58a2-4f61-a2a8-3f1d2b7c9e01", 45));
        assertEquals(48.0, DemoCommand.progressTarget(summaries), 1e-9,
                "the baseline on the first artifact, not the baseline on a quantized one");
        assertEquals(null, DemoCommand.progressTarget(List.of()), "no target before the reference has a summary");
    }

    private static TrialSummary summary(boolean baseline, String referenceTrialId, double tokensPerSecond) {
        var json = Messages.mapper().createObjectNode().put("baseline", baseline).put("referenceTrialId", referenceTrialId)
                .put("label", baseline ? "Baseline" : "Golden");
        json.putObject("generationTokensPerSecond").put("n", 8).put("p50", tokensPerSecond);
        return Messages.mapper().convertValue(json, TrialSummary.class);
    }

    @Test
    void anUnreachableStackIsAClearErrorAndANonZeroExit() {
        ApiClient api = new ApiClient(java.net.URI.create("http://127.0.0.1:9"), java.net.URI.create("http://127.0.0.1:9"), null);
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> api.get("/api/runs"));
        assertTrue(e.getMessage().contains("./optbench up"), e.getMessage());
    }

    @Test
    void aProblemBodyBecomesItsMessageWithEachField() {
        ApiException e = ApiException.fromProblem("POST /api/runs", 400,
                "{\"title\":\"Invalid run spec\",\"status\":400,\"errors\":[{\"field\":\"variants[0].flags.--port\",\"message\":\"is not allowed\"}]}");
        assertTrue(e.getMessage().startsWith("Invalid run spec"), e.getMessage());
        assertTrue(e.getMessage().contains("variants[0].flags.--port: is not allowed"), e.getMessage());
    }
}
