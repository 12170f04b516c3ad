package dev.optbench.worker.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialPhase;
import dev.optbench.contracts.messages.TrialProgress;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.testsupport.TestInfrastructure;
import dev.optbench.worker.TestWorker;
import dev.optbench.worker.server.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole trials on the built llama-server and the generated model. */
class TrialRunnerTest {
    @TempDir
    static Path workDir;
    static TrialRunner runner;

    @BeforeAll
    static void setUp() throws Exception {
        runner = TestWorker.runner(workDir);
    }

    @AfterEach
    void noServerIsLeft() {
        assertEquals(List.of(), TestWorker.leftoverServers(), "llama-server processes left behind");
    }

    @Test
    void aBaselineAndTwoVariantsYieldSamplesThatAgreeWithTheServersTimings() throws Exception {
        Workload workload = TestWorker.smallWorkload(48, 2, List.of(1));
        ArtifactSpec artifact = TestWorker.tiny(null, 0);
        // One thread: on this 2-core machine a server using both cores delays the reader's wake-ups by scheduler
        // slices, which measures the scheduler rather than the harness (1.0207 once in a CI run).
        List<TrialJob> jobs = List.of(
                TestWorker.job("default", true, List.of(new Flag("--threads", "1")), artifact, workload),
                TestWorker.job("flash-attn", false, List.of(new Flag("--threads", "1"), new Flag("--flash-attn", null)), artifact, workload),
                TestWorker.job("q8-cache", false, List.of(new Flag("--threads", "1"), new Flag("-fa", "on"),
                        new Flag("--cache-type-k", "q8_0"), new Flag("--cache-type-v", "q8_0")), artifact, workload));
        for (TrialJob job : jobs) {
            List<TrialProgress> progress = new CopyOnWriteArrayList<>();
            TrialOutcome outcome = runner.run(job, new Cancellation(), progress::add);
            TrialFinished finished = outcome.finished();
            assertEquals(TrialStatus.SUCCEEDED, finished.status(), job.variant().name() + ": " + finished.reason() + "\n" + finished.stderrTail());
            assertEquals(workload.sampleCount(), outcome.samples().size());
            assertEquals(outcome.samples().size(), finished.sampleCount());
            // Per trial, not per sample: on a machine shared by many processes a single stream's first or last
            // chunk can be read a scheduler slice late, which moves that one sample's rate by more than 2 %.
            double[] ratios = outcome.samples().stream()
                    .mapToDouble(s -> s.generationTokensPerSecond() / s.serverGenerationTokensPerSecond()).sorted().toArray();
            double median = dev.optbench.contracts.stats.Statistics.percentile(ratios, 50);
            assertTrue(Math.abs(median - 1) <= 0.02, job.variant().name() + ": median worker/server tok/s " + java.util.Arrays.toString(ratios));
            double workerTokens = 0;
            double workerSeconds = 0;
            double serverSeconds = 0;
            for (Sample sample : outcome.samples()) {
                workerTokens += sample.completionTokens() - 1;
                workerSeconds += (sample.completionTokens() - 1) / sample.generationTokensPerSecond();
                serverSeconds += sample.serverGenerationMillis() / 1000;
            }
            double aggregate = (workerTokens / workerSeconds) / (workerTokens / serverSeconds);
            System.out.printf(java.util.Locale.ROOT, "FIGURE %s: worker/server generation tok/s, median per sample %.4f, over the trial %.4f%n",
                    job.variant().name(), median, aggregate);
            assertTrue(Math.abs(aggregate - 1) <= 0.02, job.variant().name() + ": trial tok/s worker/server " + aggregate);
            for (Sample sample : outcome.samples()) {
                assertNull(sample.error());
                assertTrue(sample.completionTokens() > 1, "tokens generated");
                assertTrue(sample.ttftMillis() < sample.latencyMillis(), "TTFT below end-to-end latency");
                assertFalse(sample.answer().isEmpty());
                assertEquals(Sample.idOf(job.trialId(), 1, sample.repetition(), sample.conversationId(), sample.round()), sample.sampleId());
            }
            Sample secondRound = outcome.samples().stream().filter(s -> s.round() == 1).findFirst().orElseThrow();
            Sample firstRound = outcome.samples().stream().filter(s -> s.round() == 0 && s.conversationId().equals("travel")).findFirst().orElseThrow();
            assertTrue(secondRound.promptTokens() > firstRound.promptTokens() + firstRound.completionTokens(),
                    "round 1 sends the history: its prompt holds round 0's prompt and answer");
            assertTrue(finished.peakRssBytes() > 0, "peak RSS");
            assertTrue(finished.loadMillis() > 0);
            assertTrue(finished.requestMillis() > 0);
            assertTrue(finished.wallMillis() >= finished.loadMillis() + finished.requestMillis());
            assertNotNull(finished.coldGeneration());
            assertEquals(-1, finished.coldGeneration().repetition());
            int generated = outcome.samples().stream().mapToInt(Sample::completionTokens).sum();
            assertEquals(generated, finished.metricsDelta().get("llamacpp:tokens_predicted_total"), 0.0,
                    "/metrics delta counts exactly the workload's tokens");
            assertTrue(finished.argv().containsAll(List.of("--metrics", "--host", "127.0.0.1", "--parallel", "1")));
            assertEquals("F16", finished.artifact().fileType());
            assertEquals(finished.environment().llamaCommit(), TestWorker.binary().commit());
            assertEquals(finished.peakGpuMemoryBytes() == null, finished.environment().gpuMemorySource() == null,
                    "a GPU memory figure says how it was measured");
            assertTrue(progress.stream().anyMatch(p -> p.phase() == TrialPhase.WORKLOAD && p.samplesDone() == p.samplesTotal()));
        }
    }

    @Test
    void concurrencyLevelsPlayEveryConversationAtEachLevel() {
        Workload workload = TestWorker.smallWorkload(16, 2, List.of(1, 2));
        TrialOutcome outcome = runner.run(TestWorker.job("parallel", true, List.of(new Flag("--threads", "2")),
                TestWorker.tiny(null, 0), workload), new Cancellation(), p -> { });
        assertEquals(TrialStatus.SUCCEEDED, outcome.finished().status(), outcome.finished().reason());
        assertEquals(12, outcome.samples().size());
        assertEquals(6, outcome.samples().stream().filter(s -> s.concurrency() == 2).count());
        assertEquals(12, outcome.samples().stream().map(Sample::sampleId).distinct().count());
        assertTrue(outcome.finished().argv().containsAll(List.of("--parallel", "2")));
    }

    @Test
    void perplexityAndKlDivergenceAreMeasuredAgainstTheBaselineLogits() throws Exception {
        Workload workload = TestWorker.smallWorkload(8, 1, List.of(1));
        ArtifactSpec base = TestWorker.tiny(null, 0);
        ArtifactSpec q4 = TestWorker.tiny("Q4_0", 0);
        UUID run = UUID.randomUUID();
        TrialOutcome baseline = runner.run(TestWorker.job(run, "default", true, List.of(new Flag("--threads", "2")), base, null,
                workload, "builtin:sample-text"), new Cancellation(), p -> { });
        TrialOutcome quantized = runner.run(TestWorker.job(run, "default", true, List.of(new Flag("--threads", "2")), q4, base,
                workload, "builtin:sample-text"), new Cancellation(), p -> { });
        assertEquals(TrialStatus.SUCCEEDED, baseline.finished().status(), baseline.finished().reason());
        assertEquals(TrialStatus.SUCCEEDED, quantized.finished().status(), quantized.finished().reason());
        var basePpl = baseline.finished().perplexity();
        assertTrue(basePpl.perplexity() > 1);
        assertNull(basePpl.klDivergenceMean(), "the baseline is not compared with itself");
        assertEquals(4, basePpl.chunks());
        assertEquals(128, basePpl.contextSize());
        var q4Ppl = quantized.finished().perplexity();
        assertTrue(q4Ppl.perplexity() > 1);
        assertTrue(q4Ppl.klDivergenceMean() > 0, "Q4_0 differs from F16: " + q4Ppl);
        assertTrue(q4Ppl.klDivergenceP99() >= q4Ppl.klDivergenceMean());
        assertTrue(q4Ppl.sameTopTokenPercent() > 0 && q4Ppl.sameTopTokenPercent() < 100, q4Ppl.toString());
        try (var logits = Files.list(workDir.resolve("logits"))) {
            assertEquals(1, logits.filter(p -> p.toString().endsWith(".kld")).count(), "base logits made once and reused");
        }
        assertTrue(Files.exists(runner.trialDir(baseline.finished().trialId()).resolve("kl-divergence-base.log")),
                "the baseline's own trial wrote the base logits");
        assertFalse(Files.exists(runner.trialDir(quantized.finished().trialId()).resolve("kl-divergence-base.log")),
                "the quantized trial reused them");
        assertTrue(Files.exists(runner.trialDir(quantized.finished().trialId()).resolve("kl-divergence.log")));
    }

    @Test
    void aFlagValueTheBinaryRejectsEndsFailedWithItsReason() {
        TrialOutcome outcome = runner.run(TestWorker.job("bad device", false, List.of(new Flag("--device", "nosuchdevice")),
                TestWorker.tiny(null, 0), TestWorker.smallWorkload(8, 1, List.of(1))), new Cancellation(), p -> { });
        TrialFinished finished = outcome.finished();
        assertEquals(TrialStatus.FAILED, finished.status());
        assertTrue(finished.reason().contains("rejected its arguments") && finished.reason().contains("nosuchdevice"), finished.reason());
        assertTrue(finished.stderrTail().contains("--device"), finished.stderrTail());
        assertTrue(finished.argv() == null && outcome.samples().isEmpty());
    }

    @Test
    void aFlagValueThePolicyRefusesEndsFailedBeforeAnyServerStarts() {
        TrialOutcome outcome = runner.run(TestWorker.job("bad threads", false, List.of(new Flag("--threads", "many")),
                TestWorker.tiny(null, 0), TestWorker.smallWorkload(8, 1, List.of(1))), new Cancellation(), p -> { });
        assertEquals(TrialStatus.FAILED, outcome.finished().status());
        assertEquals("flag --threads takes an integer from -1 to 1024", outcome.finished().reason());
        TrialOutcome forbidden = runner.run(TestWorker.job("tools", false, List.of(new Flag("--tools", "all")),
                TestWorker.tiny(null, 0), TestWorker.smallWorkload(8, 1, List.of(1))), new Cancellation(), p -> { });
        assertTrue(forbidden.finished().reason().startsWith("flag --tools is not allowed"), forbidden.finished().reason());
    }

    @Test
    void aServerKilledMidTrialEndsFailedAndIsGone() {
        AtomicLong pid = new AtomicLong();
        TrialOutcome outcome = runDuringWorkload(runner, pid, ProcessHandle::destroyForcibly);
        TrialFinished finished = outcome.finished();
        assertEquals(TrialStatus.FAILED, finished.status());
        assertTrue(finished.reason().contains("killed by signal 9"), finished.reason());
        assertTrue(finished.reason().contains("during the workload"), finished.reason());
        assertNotNull(finished.stderrTail());
        assertFalse(Files.exists(Path.of("/proc", Long.toString(pid.get()))), "the killed server is reaped");
    }

    @Test
    void aHungServerIsNoticedKilledAndTheTrialFails() throws Exception {
        AtomicLong pid = new AtomicLong();
        TrialRunner impatient = TestWorker.runner(workDir, TestInfrastructure.modelsDir(),
                Map.of("optbench.worker.workload.request-idle-timeout", "2s", "optbench.worker.server.stop-grace", "1s"));
        TrialOutcome outcome = runDuringWorkload(impatient, pid, handle -> signal("STOP", handle.pid()));
        TrialFinished finished = outcome.finished();
        assertEquals(TrialStatus.FAILED, finished.status());
        assertTrue(finished.reason().contains("sent nothing for 2 s"), finished.reason());
        assertFalse(Files.exists(Path.of("/proc", Long.toString(pid.get()))), "the stopped server was killed");
    }

    @Test
    void aCancelledRunEndsCancelledAndStopsTheServer() {
        Cancellation cancellation = new Cancellation();
        AtomicLong pid = new AtomicLong();
        TrialOutcome outcome = runDuringWorkload(runner, pid, handle -> cancellation.cancel("the run was cancelled"), cancellation);
        assertEquals(TrialStatus.CANCELLED, outcome.finished().status());
        assertEquals("the run was cancelled", outcome.finished().reason());
        assertFalse(outcome.abandoned());
        assertFalse(Files.exists(Path.of("/proc", Long.toString(pid.get()))));
    }

    @Test
    void aWorkerStoppingMidTrialAbandonsItSoNothingIsPublished() {
        Cancellation cancellation = new Cancellation();
        AtomicLong pid = new AtomicLong();
        TrialOutcome outcome = runDuringWorkload(runner, pid, handle -> cancellation.abandon("the worker is shutting down"), cancellation);
        assertTrue(outcome.abandoned(), "the job stays uncommitted and another worker redoes it");
        assertEquals(TrialStatus.CANCELLED, outcome.finished().status());
        assertFalse(Files.exists(Path.of("/proc", Long.toString(pid.get()))));
    }

    @Test
    void aModelThatWillNotLoadEndsFailed(@TempDir Path models) throws Exception {
        byte[] whole = Files.readAllBytes(TestInfrastructure.tinyModel());
        Files.write(models.resolve("truncated.gguf"), java.util.Arrays.copyOf(whole, whole.length / 2));
        TrialRunner local = TestWorker.runner(workDir, models, Map.of());
        TrialOutcome outcome = local.run(TestWorker.job("default", true, List.of(),
                new ArtifactSpec(UUID.randomUUID(), "truncated.gguf", null, 0, null), TestWorker.smallWorkload(8, 1, List.of(1))),
                new Cancellation(), p -> { });
        assertEquals(TrialStatus.FAILED, outcome.finished().status());
        assertTrue(outcome.finished().reason().startsWith("llama-server could not load the model"), outcome.finished().reason());
        assertEquals("truncated.gguf", outcome.finished().artifact().fileName());
    }

    @Test
    void aModelOutsideTheModelsDirectoryIsRefused() {
        TrialOutcome outcome = runner.run(TestWorker.job("default", true, List.of(),
                new ArtifactSpec(UUID.randomUUID(), "../etc/passwd.gguf", null, 0, null), TestWorker.smallWorkload(8, 1, List.of(1))),
                new Cancellation(), p -> { });
        assertEquals(TrialStatus.FAILED, outcome.finished().status());
        assertTrue(outcome.finished().reason().contains("must stay inside the models directory"), outcome.finished().reason());
    }


    private TrialOutcome runDuringWorkload(TrialRunner trialRunner, AtomicLong pid, Consumer<ProcessHandle> breakIt) {
        return runDuringWorkload(trialRunner, pid, breakIt, new Cancellation());
    }

    /** Runs a longer trial and breaks its server once the first workload sample is in. */
    private TrialOutcome runDuringWorkload(TrialRunner trialRunner, AtomicLong pid, Consumer<ProcessHandle> breakIt, Cancellation cancellation) {
        Workload workload = TestWorker.smallWorkload(64, 4, List.of(1));
        AtomicBoolean broken = new AtomicBoolean();
        return trialRunner.run(TestWorker.job("victim", true, List.of(new Flag("--threads", "2")), TestWorker.tiny(null, 0), workload),
                cancellation, new TrialListener() {
                    @Override
                    public void progress(TrialProgress progress) {
                        if (progress.phase() == TrialPhase.WORKLOAD && progress.samplesDone() >= 1 && broken.compareAndSet(false, true)) {
                            breakIt.accept(ProcessHandle.of(pid.get()).orElseThrow());
                        }
                    }

                    @Override
                    public void serverStarted(long serverPid) {
                        pid.set(serverPid);
                    }
                });
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(pid))).inheritIO().start();
            assertEquals(0, kill.waitFor());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
