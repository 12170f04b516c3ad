package dev.optbench.bench.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.stats.Statistics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Sections 1 to 3, from real trials on the stack's worker: each repetition submits a run of one trial (the tiny
 * model, {@code --threads N --flash-attn off --ignore-eos}, {@code requests} single-turn requests of
 * {@code maxTokens} tokens) to an idle worker, waits until it is stored, and right after it runs llama-bench on the
 * same model with the same threads and flags, and the same requests with curl against a llama-server of its own (the
 * control for the harness overhead), so they are measured side by side under the same load.
 */
final class TrialBench {
    private static final String FLASH_ATTENTION = "off";
    private static final String[] PROMPTS = {"Explain how tides work.", "Plan a three-day trip to Lisbon.",
            "How do I bake sourdough bread?", "Write a haiku about rivers.", "Why do bees cluster in winter?"};

    private final Stack stack;
    private final LlamaBench llamaBench;
    private final CurlReference curl;
    private final int threads;
    private final int requests;
    private final int maxTokens;

    TrialBench(Stack stack, LlamaBench llamaBench, CurlReference curl, int threads, int requests, int maxTokens) {
        this.stack = stack;
        this.llamaBench = llamaBench;
        this.curl = curl;
        this.threads = threads;
        this.requests = requests;
        this.maxTokens = maxTokens;
    }

    /** What one repetition measured. */
    record Repetition(double timingsRatio, double metricsRatio, double workerTokensPerSecond, double serverTokensPerSecond,
                      double trialTokensPerSecond, double llamaBenchTokensPerSecond, double overheadMillis, double curlOverheadMillis,
                      double curlOverheadNoJinjaMillis, double pairedWorkerMillis, double pairedCurlMillis, double workerShareMillis,
                      double ttftOverheadMillis,
                      double deadShare, double deadMillis, double loadMillis, double beforeLoadMillis, double afterWorkloadMillis,
                      double dispatchMillis, double submitMillis) {
    }

    Repetition repeat() throws IOException, InterruptedException, SQLException {
        awaitIdleWorker();
        UUID runId;
        Instant submitted;
        double submitMillis;
        TrialEvents.Timeline timeline;
        try (TrialEvents events = new TrialEvents(stack.kafkaBootstrap)) {
            submitted = Instant.now();
            long sent = System.nanoTime();
            runId = UUID.fromString(stack.submit(spec()).get("id").asText());
            submitMillis = (System.nanoTime() - sent) / 1e6;
            awaitCompleted(runId, Duration.ofMinutes(10));
            UUID trialId = UUID.fromString(stack.getJson(stack.orchestrator("/api/runs/" + runId)).get("trials").get(0).get("id").asText());
            timeline = events.timeline(trialId, Duration.ofSeconds(30));
        }
        JsonNode trial = stack.getJson(stack.orchestrator("/api/runs/" + runId)).get("trials").get(0);
        if (!"SUCCEEDED".equals(trial.path("status").asText())) {
            throw new IllegalStateException("the benchmark's trial ended " + trial.path("status").asText() + ": " + trial.path("reason").asText()
                    + "\n" + trial.path("stderrTail").asText());
        }
        JsonNode samples = stack.getJson(stack.orchestrator("/api/runs/" + runId + "/samples?size=1000")).get("items");
        double tg = llamaBench.textGeneration(threads, FLASH_ATTENTION, maxTokens, 10);
        double curlOverhead = curl.overheadMillis(threads, FLASH_ATTENTION, List.of(), PROMPTS, samples.size(), maxTokens);
        double curlOverheadNoJinja = curl.overheadMillis(threads, FLASH_ATTENTION, List.of("--no-jinja"), PROMPTS, samples.size(), maxTokens);
        CurlReference.Paired paired = curl.pairedWithWorkerClient(threads, FLASH_ATTENTION, PROMPTS, samples.size(), maxTokens);

        List<Double> ratios = new ArrayList<>();
        List<Double> workerRates = new ArrayList<>();
        List<Double> serverRates = new ArrayList<>();
        List<Double> overheads = new ArrayList<>();
        List<Double> ttftOverheads = new ArrayList<>();
        double tokensAfterFirst = 0;
        double workerSeconds = 0;
        double completionTokens = 0;
        double latencySeconds = 0;
        for (JsonNode s : samples) {
            int completion = s.get("completionTokens").asInt();
            double worker = s.get("generationTokensPerSecond").asDouble();
            double server = s.get("serverGenerationTokensPerSecond").asDouble();
            ratios.add(worker / server);
            workerRates.add(worker);
            serverRates.add(server);
            overheads.add(s.get("latencyMillis").asDouble() - s.get("serverPromptMillis").asDouble() - s.get("serverGenerationMillis").asDouble());
            ttftOverheads.add(s.get("ttftMillis").asDouble() - s.get("serverPromptMillis").asDouble());
            tokensAfterFirst += completion - 1;
            workerSeconds += (completion - 1) / worker;
            completionTokens += completion;
            latencySeconds += s.get("latencyMillis").asDouble() / 1000;
        }
        JsonNode metrics = trial.get("metricsDelta");
        // /metrics counts each request's first token (made by prompt processing) in tokens_predicted_total but
        // not in tokens_predicted_seconds_total, as the per-request predicted_per_second does not either.
        double metricsRate = (metrics.get("llamacpp:tokens_predicted_total").asDouble() - samples.size())
                / metrics.get("llamacpp:tokens_predicted_seconds_total").asDouble();
        double wall = trial.get("wallMillis").asDouble();
        double load = trial.get("loadMillis").asDouble();
        double dead = wall - load - trial.get("requestMillis").asDouble();
        Instant started = Instant.parse(trial.get("startedAt").asText());
        double dispatch = millis(submitted, started);
        double beforeLoad = timeline.loading() == null ? Double.NaN : millis(started, timeline.loading());
        double afterWorkload = timeline.lastSample() == null ? Double.NaN : millis(timeline.lastSample(), Instant.parse(trial.get("finishedAt").asText()));
        deleteRun(runId);
        return new Repetition(median(ratios), (tokensAfterFirst / workerSeconds) / metricsRate, median(workerRates), median(serverRates),
                completionTokens / latencySeconds, tg, median(overheads), curlOverhead, curlOverheadNoJinja, paired.workerMillis(),
                paired.curlMillis(), paired.workerMinusCurlMillis(), median(ttftOverheads), dead / wall, dead, load, beforeLoad,
                afterWorkload, dispatch, submitMillis);
    }

    /**
     * @param cold the benchmark's first trial (on a fresh stack the worker's JVM is not yet compiled and the model not yet
     *             hashed), reported on its own; the goals are judged on the others
     */
    static List<Figure> figures(Repetition cold, List<Repetition> reps, int threads, int requests, int maxTokens) {
        String trial = requests + " requests × " + maxTokens + " tokens";
        return List.of(
                Figure.goal(1, "worker generation tok/s ÷ llama-server `timings.predicted_per_second` (median per request)", "ratio",
                        "1.00 ± 0.02", v -> Math.abs(v - 1) <= 0.02, values(reps, Repetition::timingsRatio)),
                Figure.goal(1, "worker generation tok/s ÷ llama-server `/metrics` over the trial ((tokens_predicted_total − requests) ÷ tokens_predicted_seconds_total)",
                        "ratio", "1.00 ± 0.02", v -> Math.abs(v - 1) <= 0.02, values(reps, Repetition::metricsRatio)),
                Figure.info(1, "llama-bench `tg" + maxTokens + "` (-t " + threads + " -fa off, median of -r 10): decode only", "tok/s", values(reps, Repetition::llamaBenchTokensPerSecond)),
                Figure.info(1, "llama-server generation (median `predicted_per_second`): decode + sampling + detokenise + stream", "tok/s",
                        values(reps, Repetition::serverTokensPerSecond)),
                Figure.info(1, "worker generation tok/s (median per request, first → last streamed token)", "tok/s", values(reps, Repetition::workerTokensPerSecond)),
                Figure.info(1, "worker trial throughput (completion tokens ÷ end-to-end request time, " + trial + ")", "tok/s",
                        values(reps, Repetition::trialTokensPerSecond)),
                Figure.info(1, "llama-server generation ÷ llama-bench tg", "ratio", ratio(reps, Repetition::serverTokensPerSecond)),
                Figure.info(1, "worker trial throughput ÷ llama-bench tg", "ratio", ratio(reps, Repetition::trialTokensPerSecond)),
                Figure.goal(2, "end-to-end latency − (prompt_ms + predicted_ms), median per request", "ms", "≤ 1 ms",
                        v -> v <= 1, values(reps, Repetition::overheadMillis)),
                Figure.info(2, "control: the same requests sent with curl to a llama-server with the same flags, right after the trial "
                        + "(connect → end of stream − prompt_ms − predicted_ms, median)", "ms", values(reps, Repetition::curlOverheadMillis)),
                Figure.info(2, "control: the same with curl, llama-server started with `--no-jinja` (what its Jinja chat template costs "
                        + "before prompt_ms starts)", "ms", values(reps, Repetition::curlOverheadNoJinjaMillis)),
                Figure.goal(2, "the worker's own share: its request client against curl on one llama-server, request by request, "
                        + "the order alternating (median of worker − curl over " + requests + " pairs)", "ms", "≤ 1 ms", v -> v <= 1,
                        values(reps, Repetition::workerShareMillis)),
                Figure.info(2, "of those pairs: the worker's client, end-to-end − (prompt_ms + predicted_ms), median", "ms",
                        values(reps, Repetition::pairedWorkerMillis)),
                Figure.info(2, "of those pairs: curl, connect → end of stream − (prompt_ms + predicted_ms), median", "ms",
                        values(reps, Repetition::pairedCurlMillis)),
                Figure.info(2, "TTFT − prompt_ms, median per request", "ms", values(reps, Repetition::ttftOverheadMillis)),
                Figure.goal(2, "trial dead time ÷ trial wall time (wall − load − request time; " + trial + ")", "%", "≤ 5 %",
                        v -> v <= 5, IntStream.range(0, reps.size()).mapToDouble(i -> reps.get(i).deadShare() * 100).toArray()),
                Figure.info(2, "trial dead time", "ms", values(reps, Repetition::deadMillis)),
                Figure.info(2, "of which: trial start → server launch (artifact resolution, argv)", "ms", values(reps, Repetition::beforeLoadMillis)),
                Figure.info(2, "of which: last sample → trial finished (/metrics scrape, server stop)", "ms", values(reps, Repetition::afterWorkloadMillis)),
                Figure.info(2, "model load (process start → /health), excluded from dead time", "ms", values(reps, Repetition::loadMillis)),
                Figure.info(2, "first trial of this benchmark (on a fresh stack: the worker JVM cold, the model hashed): dead time share", "%",
                        cold.deadShare() * 100),
                Figure.info(2, "first trial of this benchmark: trial start → server launch", "ms", cold.beforeLoadMillis()),
                Figure.goal(3, "submit (POST /api/runs sent) → trial STARTED on an idle worker", "ms", "≤ 500 ms",
                        v -> v <= 500, values(reps, Repetition::dispatchMillis)),
                Figure.info(3, "POST /api/runs round trip (the trial may start before the answer arrives)", "ms", values(reps, Repetition::submitMillis)),
                Figure.info(3, "first trial of this benchmark: submit → trial STARTED", "ms", cold.dispatchMillis()));
    }

    private static double[] values(List<Repetition> reps, java.util.function.ToDoubleFunction<Repetition> figure) {
        return reps.stream().mapToDouble(figure).toArray();
    }

    private static double[] ratio(List<Repetition> reps, java.util.function.ToDoubleFunction<Repetition> figure) {
        return reps.stream().mapToDouble(r -> figure.applyAsDouble(r) / r.llamaBenchTokensPerSecond()).toArray();
    }

    private String spec() {
        String conversations = Arrays.stream(PROMPTS).map(p -> "[\"" + p + "\"]").collect(Collectors.joining(", ", "[", "]"));
        return """
                {"name": "bench fidelity", "pool": "%s", "models": ["synthetic:tiny"],
                 "baseline": {"name": "Baseline", "flags": {"--threads": %d, "--flash-attn": "%s", "--ignore-eos": null}},
                 "workload": {"conversations": %s, "repetitions": %d, "maxTokens": %d, "temperature": 0.8}}"""
                .formatted(stack.pool, threads, FLASH_ATTENTION, conversations, Math.max(1, requests / PROMPTS.length), maxTokens);
    }

    /** No run of the pool is queued or running, so the trial starts on an idle worker. */
    private void awaitIdleWorker() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        try (Connection connection = stack.database();
             PreparedStatement busy = connection.prepareStatement("SELECT count(*) FROM run WHERE pool = ? AND status IN ('QUEUED', 'RUNNING')")) {
            busy.setString(1, stack.pool);
            while (true) {
                try (ResultSet rs = busy.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pool " + stack.pool + " stayed busy with other runs for 15 minutes");
                }
                Thread.sleep(500);
            }
        }
    }

    private void awaitCompleted(UUID runId, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = stack.database();
             PreparedStatement status = connection.prepareStatement("SELECT status FROM run WHERE id = ?")) {
            status.setObject(1, runId);
            while (true) {
                try (ResultSet rs = status.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("COMPLETED")) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " was not COMPLETED within " + timeout);
                }
                Thread.sleep(250);
            }
        }
    }

    private void deleteRun(UUID runId) throws SQLException {
        Runs.delete(stack, runId);
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return Statistics.percentile(sorted, 50);
    }
}
