package dev.optbench.worker.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.server.Cancellation;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial's replay script runs: it starts the same llama-server and sends the same requests. */
class TrialScriptTest {
    @TempDir
    Path workDir;

    @AfterEach
    void noServerIsLeft() {
        assertEquals(List.of(), TestWorker.leftoverServers());
    }

    @Test
    void theReplayScriptOfATrialStartsTheSameServerAndSendsTheSameRequests() throws Exception {
        TrialRunner runner = TestWorker.runner(workDir);
        TrialJob job = TestWorker.job("fa", false, List.of(new Flag("--threads", "2"), new Flag("--flash-attn", null)),
                TestWorker.tiny(null, 0), TestWorker.smallWorkload(8, 1, List.of(1)));
        TrialOutcome outcome = runner.run(job, new Cancellation(), p -> { });
        assertEquals(TrialStatus.SUCCEEDED, outcome.finished().status(), outcome.finished().reason());
        new TrialHistory().record(job, outcome, runner.trialDir(job));
        Path script = runner.trialDir(job).resolve("replay.sh");
        String text = Files.readString(script);
        assertTrue(text.contains("\"$LLAMA_SERVER\" '--host' '127.0.0.1' '--port' \"$PORT\" '--model' \"$MODEL\" '--metrics' "
                + "'--threads' '2' '--flash-attn' 'on' '--parallel' '1'"), text);
        String answer = outcome.samples().stream().filter(s -> s.conversationId().equals("travel") && s.round() == 0).findFirst().orElseThrow().answer();
        String asJson = TrialScript.quote(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(answer));
        assertTrue(text.contains("{\"role\":\"assistant\",\"content\":" + asJson.substring(1, asJson.length() - 1) + "}"),
                "round 1 carries the recorded answer of round 0");
        assertEquals(4, timingsLines(run(script)), "warm-up and three requests, each printing the server's timings");
    }

    @Test
    void aJobThatDidNotRunHereReplaysWithItsAnswersBuiltByJq() throws Exception {
        TrialJob job = TestWorker.job("default", true, List.of(new Flag("--threads", "2")), TestWorker.tiny(null, 0),
                TestWorker.smallWorkload(8, 1, List.of(1)));
        TrialRunner runner = TestWorker.runner(workDir);
        List<String> argv = dev.optbench.worker.server.LlamaServerProcess.argv(new dev.optbench.worker.server.LlamaServerProcess.Launch(
                TestWorker.binary().server(), runner.artifacts().plannedPath(job.artifact()), runner.serverArguments(job), null, null, 0), "8089");
        Path script = workDir.resolve("job.sh");
        Files.writeString(script, TrialScript.render(job, argv, Map.of()));
        assertTrue(Files.readString(script).contains("jq -c --arg a \"$ANSWER\""));
        assertEquals(4, timingsLines(run(script)));
    }

    @Test
    void quotesAnythingForTheShell() {
        assertEquals("'it'\\''s $HOME `x`'", TrialScript.quote("it's $HOME `x`"));
    }

    private String run(Path script) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString())).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("replay.out").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the script finished");
            String output = Files.readString(workDir.resolve("replay.out"), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            return output;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static long timingsLines(String output) {
        return output.lines().filter(l -> l.contains("\"timings\"") && l.contains("predicted_n")).count();
    }
}
