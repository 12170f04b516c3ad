package dev.optbench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.cli.ChartsCommand;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.testsupport.ChartImages;
import dev.optbench.testsupport.LocalModelHub;
import dev.optbench.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The reduced demo ({@code ./optbench demo --quick}) on a stack of its own (state in .optbench/e2e, service
 * ports +10000, Kafka 39092, PostgreSQL 35432): real Kafka, PostgreSQL, worker with llama-server, llama-quantize
 * and llama-perplexity, judge with a second llama-server, and viz-service. Checks what a user gets: what the demo
 * printed, the stored figures, the exports and the chart files. Then the everyday CLI commands against the same
 * stack: a second small run submitted in the list-of-dicts form and watched, and runs, show, watch, cancel, export,
 * charts and compare, with the API's errors. The stack's worker downloads from a model hub on loopback
 * ({@link LocalModelHub}, the Hub's API; this machine cannot reach huggingface.co), so a run of an {@code hf:} ref goes
 * through the whole stack too. Every command's output goes to e2e/target/e2e-demo.log.
 */
class DemoEndToEndTest {
    private static final Path ROOT = Path.of(System.getProperty("optbench.root", "..")).toAbsolutePath().normalize();
    private static final Path RESULTS = ROOT.resolve("e2e/target/e2e-results");
    private static final Path LOG = ROOT.resolve("e2e/target/e2e-demo.log");
    private static final String VIZ = "http://127.0.0.1:18083";
    private static final String RUN_NAME = "e2e-" + System.currentTimeMillis();
    private static final String CLI_RUN_NAME = RUN_NAME + "-cli";
    /** The columns the demo's summary table must have (issue 7), in their order. */
    private static final List<String> SUMMARY_COLUMNS = List.of("trial", "status", "latency p50 ms", "p95 ms", "TTFT ms",
            "gen tok/s", "vs baseline", "load ms", "RSS MB", "size MB", "judge win", "KLD");
    private static Path runDirectory;
    private static JsonNode run;
    private static String runId;
    private static Output demo;
    private static Output cliSubmit;
    private static String cliRunId;
    private static final String HUB_REPO = "optbench/tiny-llama-GGUF";
    private static LocalModelHub hub;
    private static Output hubSubmit;

    /** A command's exit status and what it printed (standard output and error together). */
    private record Output(int exit, String text) {
        List<String> lines() {
            return text.lines().toList();
        }
    }

    private static Map<String, String> stackEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("OPTBENCH_HOME", ROOT.resolve(".optbench/e2e").toString());
        env.put("OPTBENCH_PORT_OFFSET", "10000");
        env.put("OPTBENCH_KAFKA_PORT", "39092");
        env.put("OPTBENCH_KAFKA_CONTROLLER_PORT", "39093");
        env.put("OPTBENCH_PG_PORT", "35432");
        env.put("OPTBENCH_RESULTS_DIR", RESULTS.toString());
        env.put("OPTBENCH_MODEL_HUB_URL", hub.url().toString());
        env.put("OPTBENCH_MODEL_HUB_CACHE", null);
        // The test run's own settings must not leak into the stack under test.
        for (String inherited : List.of("OPTBENCH_KAFKA_BOOTSTRAP", "OPTBENCH_DB_URL", "OPTBENCH_DB_PASSWORD", "OPTBENCH_API_KEY",
                "OPTBENCH_MODELS_DIR", "OPTBENCH_WORK_DIR", "OPTBENCH_PG_FSYNC", "OPTBENCH_JUDGE_BASE_URL", "OPTBENCH_URL",
                "OPTBENCH_VIZ_URL")) {
            env.put(inherited, null);
        }
        return env;
    }

    /** Runs {@code ./optbench ARGS} with its output appended to the log as it comes, and returns that output. */
    private static Output optbench(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("optbench").toString());
        command.addAll(List.of(args));
        Files.writeString(LOG, "$ ./optbench " + String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long start = Files.size(LOG);
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
        byte[] output;
        try (RandomAccessFile log = new RandomAccessFile(LOG.toFile(), "r")) {
            output = new byte[(int) (log.length() - start)];
            log.seek(start);
            log.readFully(output);
        }
        return new Output(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void runTheReducedDemoAndASecondRunFromTheCli() throws Exception {
        Files.createDirectories(LOG.getParent());
        Files.deleteIfExists(LOG);
        hub = LocalModelHub.start().add(HUB_REPO, "tiny-llama-F16.gguf", TestInfrastructure.tinyModel());
        optbench(Duration.ofMinutes(3), "down", "--wipe");
        demo = optbench(Duration.ofMinutes(25), "demo", "--quick", "--name", RUN_NAME);
        assertEquals(0, demo.exit(), "./optbench demo --quick failed; see " + LOG + ":\n" + tail(demo.text()));
        runDirectory = RESULTS.resolve(RUN_NAME);
        run = Messages.mapper().readTree(runDirectory.resolve("run.json").toFile());
        runId = run.path("id").asText();
        cliSubmit = optbench(Duration.ofMinutes(6), "submit", "--model", "synthetic:tiny", "--name", CLI_RUN_NAME,
                "--optimisations", "[{'--threads': 1}]", "--quantizations", "F16", "--rounds", "1", "--repetitions", "1",
                "--max-tokens", "8", "--no-judge", "--watch");
        assertEquals(0, cliSubmit.exit(), "./optbench submit --watch failed:\n" + tail(cliSubmit.text()));
        Matcher submitted = Pattern.compile("submitted run ([0-9a-f-]{36}) \\(" + Pattern.quote(CLI_RUN_NAME) + "\\) with 2 trials")
                .matcher(cliSubmit.text());
        assertTrue(submitted.find(), cliSubmit.text());
        cliRunId = submitted.group(1);
        hubSubmit = optbench(Duration.ofMinutes(6), "submit", "--model", "hf:" + HUB_REPO + ":F16", "--name", RUN_NAME + "-hub",
                "--optimisations", "[{'--threads': 1}]", "--rounds", "1", "--repetitions", "1", "--max-tokens", "8", "--no-judge", "--watch");
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        optbench(Duration.ofMinutes(3), "down", "--wipe");
        hub.close();
    }

    @Test
    void aRunOfAHubModelIsDownloadedOnceByTheWorkerAndRunsThroughTheStack() throws Exception {
        assertEquals(0, hubSubmit.exit(), "./optbench submit --model hf:... failed:\n" + tail(hubSubmit.text()));
        Matcher submitted = Pattern.compile("submitted run ([0-9a-f-]{36})").matcher(hubSubmit.text());
        assertTrue(submitted.find(), hubSubmit.text());
        String hubRunId = submitted.group(1);
        Output runs = optbench(Duration.ofMinutes(1), "runs");
        assertTrue(runs.lines().stream().anyMatch(line -> line.startsWith(hubRunId) && line.contains(" COMPLETED ")
                && line.contains(" hf:" + HUB_REPO + ":F16 ") && line.endsWith(" 2/2")), runs.text());
        Output shown = optbench(Duration.ofMinutes(1), "show", hubRunId);
        assertTrue(shown.lines().contains("[2/2 trials] completed"), shown.text());
        assertEquals(2, shown.lines().stream().filter(l -> l.contains(" succeeded ")).count(), "both trials succeeded:\n" + shown.text());
        assertEquals(1, hub.downloads(), "the worker downloaded the model once for its two trials: " + hub.requests());

        Output fetched = optbench(Duration.ofMinutes(1), "fetch", "hf:" + HUB_REPO + ":F16");
        assertEquals(0, fetched.exit(), fetched.text());
        assertTrue(fetched.text().contains("already in the cache"), "the launcher's fetch reads the workers' cache: " + fetched.text());
        Path model = Path.of(fetched.lines().getLast().strip());
        assertTrue(model.startsWith(ROOT.resolve(".optbench/e2e/hub")) && Files.size(model) == Files.size(TestInfrastructure.tinyModel()),
                fetched.text());
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
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

    /** Each trial's label as the stored run gives it ("variant · artifact"), the reference first. */
    private static List<String> trialLabels() {
        List<String> labels = new ArrayList<>();
        for (JsonNode summary : run.path("summaries")) {
            labels.add(summary.path("label").asText());
        }
        assertEquals(9, labels.size(), run.path("summaries").toString());
        return labels;
    }

    private static String referenceLabel() {
        for (JsonNode summary : run.path("summaries")) {
            if (summary.path("baseline").asBoolean() && summary.path("referenceTrialId").isNull()) {
                return summary.path("label").asText();
            }
        }
        throw new AssertionError("no reference trial in " + run.path("summaries"));
    }

    /** The summary table's header line in a command's output, and the line of each trial under it. */
    private static void assertSummaryTable(Output output) {
        String header = output.lines().stream().filter(line -> line.startsWith("trial  ")).findFirst()
                .orElseThrow(() -> new AssertionError("no summary table in:\n" + output.text()));
        int from = 0;
        for (String column : SUMMARY_COLUMNS) {
            int at = header.indexOf(column, from);
            assertTrue(at >= from, "the summary table has the column '" + column + "' in its place: " + header);
            from = at + column.length();
        }
        for (String label : trialLabels()) {
            String prefix = label.equals(referenceLabel()) ? "* " + label + "  " : label + "  ";
            assertTrue(output.lines().stream().anyMatch(line -> line.startsWith(prefix) && line.contains(" succeeded ")),
                    "a succeeded row for " + label + " in:\n" + output.text());
        }
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
    void theDemoShowedItsProgressWithTheRunningTrialAndAnEta() {
        Pattern progress = Pattern.compile("^\\[(\\d)/9 trials\\] running: (.+) \\((\\w+)[^)]*\\) — ETA (\\d+m\\d\\ds|\\d+s)$");
        Set<String> phases = new TreeSet<>();
        int lastDone = -1;
        int withEta = 0;
        for (String line : demo.lines()) {
            Matcher matcher = progress.matcher(line);
            if (matcher.matches()) {
                int done = Integer.parseInt(matcher.group(1));
                assertTrue(done >= lastDone, "trials done never goes back: " + line);
                lastDone = done;
                phases.add(matcher.group(3));
                withEta++;
            }
        }
        assertTrue(withEta >= 3, "progress lines with the running trial and an ETA in:\n" + demo.text());
        assertTrue(phases.contains("workload"), "the running trial's phase is shown: " + phases);
        assertTrue(demo.lines().stream().anyMatch(line -> line.startsWith("[9/9 trials] ")), demo.text());
    }

    @Test
    void theDemoPrintedTheSummaryTableWithEveryColumnTheIssueAsksForAndEveryTrial() {
        assertSummaryTable(demo);
        assertTrue(demo.text().contains("generated tiny model"), "it says the tiny model's quality scores mean nothing");
    }

    @Test
    void theDemoPrintedTheTargetWhereItWroteTheChartsAndTheDashboardUrl() {
        assertTrue(demo.lines().contains("dashboard: " + VIZ + "/runs/" + runId), demo.text());
        assertTrue(demo.text().contains("wrote " + 2 * ChartsCommand.CHARTS.size() + " chart files (PNG at 300 DPI and SVG)"), demo.text());
        assertTrue(demo.lines().contains(ChartsCommand.nothingToDraw("ablation")), "the quick demo has no sweep: " + demo.text());
        assertFalse(demo.text().contains("CHART FAILED"), demo.text());
        assertTrue(demo.text().matches("(?s).*progress chart's target: \\d+\\.\\d tok/s \\(1\\.2 × the baseline's generation throughput\\).*"),
                demo.text());
        assertTrue(demo.text().matches("(?s).*demo finished in (\\d+m\\d\\ds|\\d+s)\\s*"), tail(demo.text()));
    }

    @Test
    void everyChartIsAPngAt300DpiOfItsSvgsSize() throws Exception {
        for (String chart : ChartsCommand.CHARTS) {
            ChartImages.Png png = ChartImages.readPng(runDirectory.resolve(chart + ".png"));
            Document svg = ChartImages.parseSvg(runDirectory.resolve(chart + ".svg"));
            ChartImages.SvgSize size = ChartImages.svgSize(svg);
            assertEquals(300, png.dotsPerInch(), chart + ".png states 300 DPI in its pHYs chunk");
            assertEquals(ChartImages.pixels(size.width(), 300), png.image().getWidth(), chart + ".png is the SVG's width at 300 DPI");
            assertEquals(ChartImages.pixels(size.height(), 300), png.image().getHeight(), chart + ".png is the SVG's height at 300 DPI");
        }
        try (Stream<Path> files = Files.list(runDirectory)) {
            List<String> charts = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".png") || name.endsWith(".svg"))
                    .sorted().toList();
            List<String> expected = ChartsCommand.CHARTS.stream().flatMap(chart -> Stream.of(chart + ".png", chart + ".svg")).sorted().toList();
            assertEquals(expected, charts, "every chart and nothing else");
        }
    }

    @Test
    void everyChartNamesTheBaselineAndEveryTrial() throws Exception {
        for (String chart : ChartsCommand.CHARTS) {
            Document svg = ChartImages.parseSvg(runDirectory.resolve(chart + ".svg"));
            if (chart.equals("ablation")) {
                assertTrue(ChartImages.svgText(svg).contains("nothing to ablate"), "the quick demo has no sweep: " + ChartImages.svgText(svg));
                continue;
            }
            assertTrue(ChartImages.shows(svg, referenceLabel()), chart + " names the baseline " + referenceLabel());
            for (String label : trialLabels()) {
                assertTrue(ChartImages.shows(svg, label), chart + ".svg names " + label + ":\n" + ChartImages.svgText(svg));
            }
        }
    }

    @Test
    void theProgressChartDrawsTheDemosTarget() throws Exception {
        String text = ChartImages.svgText(ChartImages.parseSvg(runDirectory.resolve("progress.svg")));
        assertTrue(text.contains("Target ") && text.contains("reach or exceed"), text);
        assertFalse(text.contains("No target given"), text);
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

    @Test
    void submitTakesTheListOfDictsFormAndWatchFollowsTheRunToItsEnd() {
        assertTrue(cliSubmit.lines().stream().anyMatch(line -> line.matches("\\[[01]/2 trials\\] (queued|running).*")),
                "live progress before the end:\n" + cliSubmit.text());
        assertTrue(cliSubmit.lines().contains("[2/2 trials] completed"), cliSubmit.text());
        assertTrue(cliSubmit.lines().stream().anyMatch(line -> line.startsWith("--threads 1  ") && line.contains(" succeeded ")),
                "the variant named after its flags:\n" + cliSubmit.text());
    }

    @Test
    void runsListsTheStoredRunsNewestFirst() throws Exception {
        Output runs = optbench(Duration.ofMinutes(1), "runs");
        assertEquals(0, runs.exit(), runs.text());
        int cliRun = runs.text().indexOf(cliRunId + "  " + CLI_RUN_NAME);
        int demoRun = runs.text().indexOf(runId + "  " + RUN_NAME);
        assertTrue(cliRun >= 0 && demoRun > cliRun, "both runs, the newer first:\n" + runs.text());
        assertTrue(runs.lines().stream().anyMatch(line -> line.startsWith(runId) && line.contains("COMPLETED") && line.endsWith(" 9/9")),
                runs.text());
        assertTrue(runs.lines().contains("page 0, 3 runs in all"), "the demo's, the CLI's and the hub model's: " + runs.text());
    }

    @Test
    void showPrintsTheStatusTheSummaryTableAndTheDashboardUrl() throws Exception {
        Output show = optbench(Duration.ofMinutes(1), "show", runId);
        assertEquals(0, show.exit(), show.text());
        assertTrue(show.lines().contains(RUN_NAME + " (" + runId + ")"), show.text());
        assertTrue(show.lines().contains("[9/9 trials] completed"), show.text());
        assertSummaryTable(show);
        assertTrue(show.lines().contains("dashboard: " + VIZ + "/runs/" + runId), show.text());
    }

    @Test
    void anApiErrorIsTheProblemsMessageAndANonZeroExit() throws Exception {
        String unknown = UUID.randomUUID().toString();
        Output show = optbench(Duration.ofMinutes(1), "show", unknown);
        assertEquals(1, show.exit(), show.text());
        assertTrue(show.lines().contains("optbench: Run not found: no run with id " + unknown), show.text());
        assertFalse(show.text().contains("Exception"), "no stack trace: " + show.text());
        Output sameRunTwice = optbench(Duration.ofMinutes(1), "compare", runId, runId);
        assertEquals(1, sameRunTwice.exit(), sameRunTwice.text());
        assertTrue(sameRunTwice.text().contains("runs: must list 2 to 10 different run ids"), "the invalid field and its message: "
                + sameRunTwice.text());
    }

    @Test
    void cancellingAFinishedRunIsTheConflictsMessageAndANonZeroExit() throws Exception {
        Output cancel = optbench(Duration.ofMinutes(1), "cancel", runId);
        assertEquals(1, cancel.exit(), cancel.text());
        assertTrue(cancel.lines().contains("optbench: Run already finished: run " + runId + " is already COMPLETED and cannot be cancelled"),
                cancel.text());
    }

    @Test
    void watchingAFinishedRunPrintsItsEndAndItsSummaryTable() throws Exception {
        Output watch = optbench(Duration.ofMinutes(1), "watch", runId);
        assertEquals(0, watch.exit(), watch.text());
        assertTrue(watch.lines().contains("[9/9 trials] completed"), watch.text());
        assertSummaryTable(watch);
        assertTrue(watch.text().contains("the generated tiny model has random weights"), watch.text());
    }

    @Test
    void exportWritesWhatTheDemoWroteAsCsvAndJson() throws Exception {
        Path samples = RESULTS.resolve("cli-samples.csv");
        Output csv = optbench(Duration.ofMinutes(1), "export", runId, "--format", "csv", "--out", samples.toString());
        assertEquals(0, csv.exit(), csv.text());
        assertEquals(Files.readString(runDirectory.resolve("samples.csv")), Files.readString(samples), "the same rows as the demo's export");
        Path trials = RESULTS.resolve("cli-trials.json");
        Output json = optbench(Duration.ofMinutes(1), "export", runId, "--format", "json", "--level", "trial", "--out", trials.toString());
        assertEquals(0, json.exit(), json.text());
        JsonNode rows = Messages.mapper().readTree(trials.toFile());
        assertEquals(9, rows.size(), rows.toString());
        Set<String> exported = new TreeSet<>();
        rows.forEach(row -> exported.add(row.path("trialId").asText()));
        Set<String> stored = new TreeSet<>();
        run.path("trials").forEach(trial -> stored.add(trial.path("id").asText()));
        assertEquals(stored, exported, "one row per stored trial");
        Output badFormat = optbench(Duration.ofMinutes(1), "export", runId, "--format", "xml");
        assertNotEquals(0, badFormat.exit(), badFormat.text());
        assertTrue(badFormat.text().contains("optbench: Invalid request") && badFormat.text().contains("format: must be csv or json"),
                badFormat.text());
    }

    @Test
    void chartsWritesEveryChartAndFailsWithTheProblemsMessageWhenTheServiceCannotDraw() throws Exception {
        Path directory = RESULTS.resolve("cli-charts");
        Output charts = optbench(Duration.ofMinutes(2), "charts", runId, "--out", directory.toString(), "--dpi", "96", "--target", "1000");
        assertEquals(0, charts.exit(), charts.text());
        for (String chart : ChartsCommand.CHARTS) {
            assertTrue(charts.lines().contains(directory.resolve(chart + ".png").toString()), charts.text());
            assertEquals(96, ChartImages.readPng(directory.resolve(chart + ".png")).dotsPerInch(), chart);
            ChartImages.parseSvg(directory.resolve(chart + ".svg"));
        }
        assertTrue(charts.lines().contains(ChartsCommand.nothingToDraw("ablation")), charts.text());
        String progress = ChartImages.svgText(ChartImages.parseSvg(directory.resolve("progress.svg")));
        assertTrue(progress.contains("target 1,000 tok/s"), "the target line: " + progress);

        Path refused = RESULTS.resolve("cli-charts-refused");
        Output tooFine = optbench(Duration.ofMinutes(2), "charts", runId, "--out", refused.toString(), "--dpi", "5000");
        assertEquals(1, tooFine.exit(), tooFine.text());
        assertTrue(tooFine.text().contains("optbench: " + ChartsCommand.CHARTS.size() + " chart file(s) failed:"), tooFine.text());
        assertTrue(tooFine.text().contains("comparison.png: Bad chart request: dpi: 5000 is outside"), tooFine.text());
        assertTrue(Files.exists(refused.resolve("comparison.svg")), "the SVGs, which take no dpi, are still written");
        assertFalse(Files.exists(refused.resolve("comparison.png")));
    }

    @Test
    void compareShowsBothRunsAndTheComparePage() throws Exception {
        Output compare = optbench(Duration.ofMinutes(1), "compare", runId, cliRunId);
        assertEquals(0, compare.exit(), compare.text());
        assertTrue(compare.lines().contains(RUN_NAME + " (" + runId + ", COMPLETED)"), compare.text());
        assertTrue(compare.lines().contains(CLI_RUN_NAME + " (" + cliRunId + ", COMPLETED)"), compare.text());
        assertSummaryTable(compare);
        assertTrue(compare.lines().stream().anyMatch(line -> line.startsWith("--threads 1  ")), compare.text());
        assertTrue(compare.lines().contains("charts: " + VIZ + "/compare?runs=" + runId + "," + cliRunId), compare.text());
    }
}
