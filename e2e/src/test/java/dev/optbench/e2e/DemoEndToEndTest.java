package dev.optbench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reduced demo ({@code ./optbench demo --quick}) on a stack of its own (state in .optbench/e2e, service
 * ports +10000, Kafka 39092, PostgreSQL 35432): real Kafka, PostgreSQL, worker with llama-server, llama-quantize
 * and llama-perplexity, judge with a second llama-server, and viz-service. Checks what a user gets: the stored
 * figures, the exports and the chart files.
 */
class DemoEndToEndTest {
    private static final Path ROOT = Path.of(System.getProperty("optbench.root", "..")).toAbsolutePath().normalize();
    private static final Path RESULTS = ROOT.resolve("e2e/target/e2e-results");
    private static final Path LOG = ROOT.resolve("e2e/target/e2e-demo.log");
    private static final String RUN_NAME = "e2e-" + System.currentTimeMillis();
    private static Path runDirectory;
    private static JsonNode run;

    private static Map<String, String> stackEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("OPTBENCH_HOME", ROOT.resolve(".optbench/e2e").toString());
        env.put("OPTBENCH_PORT_OFFSET", "10000");
        env.put("OPTBENCH_KAFKA_PORT", "39092");
        env.put("OPTBENCH_KAFKA_CONTROLLER_PORT", "39093");
        env.put("OPTBENCH_PG_PORT", "35432");
        env.put("OPTBENCH_RESULTS_DIR", RESULTS.toString());
        // The test run's own settings must not leak into the stack under test.
        for (String inherited : List.of("OPTBENCH_KAFKA_BOOTSTRAP", "OPTBENCH_DB_URL", "OPTBENCH_DB_PASSWORD", "OPTBENCH_API_KEY",
                "OPTBENCH_MODELS_DIR", "OPTBENCH_WORK_DIR", "OPTBENCH_PG_FSYNC", "OPTBENCH_JUDGE_BASE_URL")) {
            env.put(inherited, null);
        }
        return env;
    }

    private static int optbench(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("optbench").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
        stackEnvironment().forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("./optbench " + String.join(" ", args) + " took longer than " + timeout + "; see " + LOG);
        }
        return process.exitValue();
    }

    @BeforeAll
    static void runTheReducedDemo() throws Exception {
        Files.createDirectories(LOG.getParent());
        Files.deleteIfExists(LOG);
        optbench(Duration.ofMinutes(3), "down", "--wipe");
        int exit = optbench(Duration.ofMinutes(25), "demo", "--quick", "--name", RUN_NAME);
        assertEquals(0, exit, "./optbench demo --quick failed; see " + LOG + ":\n" + tail(LOG));
        runDirectory = RESULTS.resolve(RUN_NAME);
        run = Messages.mapper().readTree(runDirectory.resolve("run.json").toFile());
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        optbench(Duration.ofMinutes(3), "down", "--wipe");
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static JsonNode artifact(String quantization, int pruned) {
        for (JsonNode artifact : run.path("artifacts")) {
            boolean sameQuantization = quantization == null ? artifact.path("quantization").isNull() || artifact.path("quantization").isMissingNode()
                    : quantization.equals(artifact.path("quantization").asText());
            if (sameQuantization && artifact.path("pruneLayers").asInt() == pruned) {
                return artifact;
            }
        }
        throw new AssertionError("no artifact " + quantization + "/" + pruned + " in " + run.path("artifacts"));
    }

    @Test
    void everyTrialSucceededAndTheRunCompleted() {
        assertEquals("COMPLETED", run.path("status").asText());
        assertEquals(9, run.path("trials").size(), "3 variants × 3 artifacts");
        for (JsonNode trial : run.path("trials")) {
            assertEquals("SUCCEEDED", trial.path("status").asText(), trial.toString());
            assertTrue(trial.path("loadMillis").asLong() > 0, trial.toString());
            assertTrue(trial.path("peakRssBytes").asLong() > 0, trial.toString());
            assertTrue(trial.path("argv").toString().contains("llama-server"), trial.toString());
        }
    }

    @Test
    void storedSummariesCarryRealTimingsAndTheChangeAgainstTheBaseline() {
        JsonNode summaries = run.path("summaries");
        assertEquals(9, summaries.size());
        int withChange = 0;
        for (JsonNode summary : summaries) {
            assertTrue(summary.path("generationTokensPerSecond").path("p50").asDouble() > 0, summary.toString());
            assertTrue(summary.path("ttftMillis").path("p50").asDouble() < summary.path("latencyMillis").path("p50").asDouble(), summary.toString());
            if (summary.path("changeVsBaseline").has("generationTokensPerSecond")) {
                withChange++;
            }
        }
        assertEquals(8, withChange, "every trial but the reference is compared with it");
    }

    @Test
    void quantizedAndPrunedArtifactsWereReallyMade() {
        JsonNode f16 = artifact("F16", 0);
        JsonNode q4 = artifact("Q4_K_M", 0);
        JsonNode pruned = artifact(null, 1);
        assertTrue(q4.path("sizeBytes").asLong() < f16.path("sizeBytes").asLong() / 2, q4 + " vs " + f16);
        assertEquals("Q4_K_M", q4.path("fileType").asText());
        assertEquals(f16.path("blockCount").asInt() - 1, pruned.path("blockCount").asInt());
        assertFalse(q4.path("sha256").asText().equals(f16.path("sha256").asText()));
    }

    @Test
    void perplexityAndKlDivergenceWereMeasuredPerArtifact() {
        int withKld = 0;
        for (JsonNode trial : run.path("trials")) {
            JsonNode perplexity = trial.path("perplexity");
            if (!perplexity.isMissingNode() && !perplexity.isNull()) {
                assertTrue(perplexity.path("perplexity").asDouble() > 1, perplexity.toString());
                if (perplexity.hasNonNull("klDivergenceMean")) {
                    withKld++;
                }
            }
        }
        assertEquals(2, withKld, "the Q4_K_M and the pruned artifact are compared with the F16 base's logits");
    }

    @Test
    void everyJudgedAnswerHasItsScores() {
        JsonNode judging = run.path("judging");
        assertTrue(judging.path("requested").asInt() > 0, judging.toString());
        assertEquals(judging.path("requested").asInt(), judging.path("scored").asInt(), judging.toString());
        JsonNode quality = null;
        for (JsonNode summary : run.path("summaries")) {
            if (!summary.path("quality").path("judgeWin").isMissingNode() && !summary.path("quality").path("judgeWin").isNull()) {
                quality = summary.path("quality");
            }
        }
        assertNotNull(quality, "pairwise verdicts reached the trial summaries");
        assertTrue(quality.path("judgeWin").path("n").asInt() > 0, quality.toString());
    }

    @Test
    void theExportsHoldOneRowPerSampleAndPerTrial() throws IOException {
        int samplesPerTrial = run.path("workload").path("samplesPerTrial").asInt();
        JsonNode samples = Messages.mapper().readTree(runDirectory.resolve("samples.json").toFile());
        assertEquals(9 * samplesPerTrial, samples.size(), "one row per sample");
        String csvHeader = Files.readAllLines(runDirectory.resolve("samples.csv")).get(0);
        assertEquals(String.join(",", iterable(samples.get(0).fieldNames())), csvHeader, "the CSV has the JSON's columns");
        JsonNode trials = Messages.mapper().readTree(runDirectory.resolve("trials.json").toFile());
        assertEquals(9, trials.size());
        assertTrue(Files.readAllLines(runDirectory.resolve("trials.csv")).size() >= 10, "a header and one line per trial");
        String summary = Files.readString(runDirectory.resolve("summary.txt"));
        assertTrue(summary.contains("Baseline") && summary.contains("Q4_K_M") && summary.contains("gen tok/s"), summary);
    }

    @Test
    void theChartsArePrintablePngsAndValidSvgs() throws Exception {
        for (String chart : List.of("comparison", "rounds", "pareto", "summary")) {
            BufferedImage png = ImageIO.read(runDirectory.resolve(chart + ".png").toFile());
            assertNotNull(png, chart + ".png decodes");
            assertTrue(png.getWidth() > 1500, chart + ".png is drawn at 300 DPI, width " + png.getWidth());
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            var svg = factory.newDocumentBuilder().parse(runDirectory.resolve(chart + ".svg").toFile());
            assertEquals("svg", svg.getDocumentElement().getLocalName() != null ? svg.getDocumentElement().getLocalName() : svg.getDocumentElement().getNodeName());
        }
    }

    @Test
    void noLlamaServerOfTheStackIsLeftAfterTheTrials() throws IOException {
        String stackHome = ROOT.resolve(".optbench/e2e").toString();
        List<String> leftovers = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String commandLine = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
                    if (commandLine.contains("llama-server") && commandLine.contains(stackHome) && !commandLine.contains("--port 18099")) {
                        leftovers.add(commandLine);
                    }
                } catch (IOException processEnded) {
                    // the process went away while we looked
                }
            }
        }
        assertEquals(List.of(), leftovers, "only the judge model's llama-server may run between trials");
    }
}
