package dev.optbench.worker.workload;

import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.server.LlamaServerProcess;
import dev.optbench.worker.server.ServerFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Plays a trial's workload against its llama-server: one warm-up request (the cold first generation), then
 * at each concurrency level every conversation of every repetition, up to that many conversations at once.
 * Each round of a conversation sends the whole history so far. Every request is streamed and timed.
 */
public final class WorkloadRunner {
    private static final Logger LOG = Logger.getLogger(WorkloadRunner.class);
    static final String WARM_UP = "warm-up";

    private final Duration idleTimeout;

    public WorkloadRunner(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** Told after each sample: how many of the workload's samples are done. */
    @FunctionalInterface
    public interface Progress {
        void samples(int done, int total);
    }

    private record Unit(int repetition, Conversation conversation) {
    }

    /**
     * @throws ServerFailure          when the server dies or hangs during the workload
     * @throws TrialCancelledException when {@code cancellation} fires
     */
    public WorkloadResult run(UUID trialId, Workload workload, LlamaServerProcess server, Cancellation cancellation,
                              Progress progress) throws IOException, InterruptedException {
        List<Integer> levels = levels(workload);
        List<long[]> intervals = Collections.synchronizedList(new ArrayList<>());
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        ChatStreamClient client = new ChatStreamClient(idleTimeout.plusSeconds(5));
        try (RequestWatchdog watchdog = new RequestWatchdog(idleTimeout, server::kill)) {
            Conversation first = workload.conversations().getFirst();
            Turn opening = first.turns().getFirst();
            StreamedCompletion warm = send(client, server, watchdog, cancellation,
                    ChatRequests.body(List.of(new ChatRequests.Message("user", opening.prompt())), workload));
            intervals.add(new long[] {warm.sentNanos(), warm.endNanos()});
            Sample cold = sample(trialId, first.conversationId(), 0, -1, 1, opening.prompt(), warm);
            if (cold.error() != null) {
                throw broken(server, watchdog, cancellation, "the warm-up request failed: " + cold.error());
            }
            Map<String, Double> before = ServerMetrics.scrape(server.baseUri());
            int total = workload.sampleCount();
            AtomicInteger done = new AtomicInteger();
            for (int level : levels) {
                ConcurrentLinkedQueue<Unit> queue = new ConcurrentLinkedQueue<>();
                for (int repetition = 0; repetition < Math.max(1, workload.repetitions()); repetition++) {
                    for (Conversation conversation : workload.conversations()) {
                        queue.add(new Unit(repetition, conversation));
                    }
                }
                ExecutorService lanes = Executors.newFixedThreadPool(level, r -> new Thread(r, "optbench-lane"));
                try {
                    List<Future<?>> running = new ArrayList<>();
                    for (int lane = 0; lane < level; lane++) {
                        running.add(lanes.submit(() -> {
                            Unit unit;
                            while ((unit = queue.poll()) != null) {
                                converse(trialId, workload, level, unit, client, server, watchdog, cancellation, samples, intervals,
                                        () -> progress.samples(done.incrementAndGet(), total));
                            }
                            return null;
                        }));
                    }
                    for (Future<?> lane : running) {
                        awaitLane(lane);
                    }
                } finally {
                    lanes.shutdownNow();
                }
            }
            Map<String, Double> after = ServerMetrics.scrape(server.baseUri());
            List<Sample> ordered = new ArrayList<>(samples);
            ordered.sort(java.util.Comparator.comparing(Sample::startedAt));
            return new WorkloadResult(cold, List.copyOf(ordered), unionMillis(intervals), ServerMetrics.delta(before, after));
        }
    }

    private void converse(UUID trialId, Workload workload, int level, Unit unit, ChatStreamClient client, LlamaServerProcess server,
                          RequestWatchdog watchdog, Cancellation cancellation, List<Sample> samples, List<long[]> intervals,
                          Runnable counted) throws IOException, InterruptedException {
        List<ChatRequests.Message> history = new ArrayList<>();
        List<Turn> turns = unit.conversation().turns();
        for (int round = 0; round < turns.size(); round++) {
            String prompt = turns.get(round).prompt();
            history.add(new ChatRequests.Message("user", prompt));
            StreamedCompletion completion = send(client, server, watchdog, cancellation, ChatRequests.body(history, workload));
            intervals.add(new long[] {completion.sentNanos(), completion.endNanos()});
            Sample sample = sample(trialId, unit.conversation().conversationId(), round, unit.repetition(), level, prompt, completion);
            samples.add(sample);
            counted.run();
            if (sample.error() != null) {
                if (!server.runningAfter(Duration.ofMillis(500)) || watchdog.fired() || cancellation.isCancelled()) {
                    throw broken(server, watchdog, cancellation, sample.error());
                }
                LOG.debugf("conversation %s stops at round %d: %s", unit.conversation().conversationId(), round, sample.error());
                return;
            }
            history.add(new ChatRequests.Message("assistant", completion.answer()));
        }
    }

    private StreamedCompletion send(ChatStreamClient client, LlamaServerProcess server, RequestWatchdog watchdog,
                                    Cancellation cancellation, String body) {
        if (cancellation.isCancelled()) {
            throw new TrialCancelledException(cancellation.reason());
        }
        try (RequestWatchdog.Activity activity = watchdog.start()) {
            return client.stream(server.baseUri(), body, activity);
        } catch (IOException e) {
            throw broken(server, watchdog, cancellation, e.toString());
        }
    }

    /** Why requests stopped working: cancelled, hung, or the server is gone. */
    private RuntimeException broken(LlamaServerProcess server, RequestWatchdog watchdog, Cancellation cancellation, String detail) {
        if (cancellation.isCancelled()) {
            return new TrialCancelledException(cancellation.reason());
        }
        if (watchdog.fired()) {
            return new ServerFailure(ServerFailure.Kind.HUNG, "llama-server sent nothing for " + watchdog.idleTimeout().toSeconds()
                    + " s during a request and was stopped", server.tail());
        }
        if (!server.runningAfter(Duration.ofSeconds(2))) {
            return server.exitFailure("during the workload");
        }
        return new ServerFailure(ServerFailure.Kind.CRASHED, "a request failed while llama-server still ran: " + detail, server.tail());
    }

    private static void awaitLane(Future<?> lane) throws InterruptedException, IOException {
        try {
            lane.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(cause);
        }
    }

    static List<Integer> levels(Workload workload) {
        List<Integer> levels = workload.concurrency() == null || workload.concurrency().isEmpty() ? List.of(1) : workload.concurrency();
        for (int level : levels) {
            if (level < 1 || level > 256) {
                throw new IllegalArgumentException("concurrency levels run from 1 to 256, not " + level);
            }
        }
        return levels;
    }

    /** The highest concurrency level: the {@code --parallel} slots the server needs. */
    public static int maxConcurrency(Workload workload) {
        return levels(workload).stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    static Sample sample(UUID trialId, String conversationId, int round, int repetition, int concurrency, String prompt,
                         StreamedCompletion s) {
        double latency = (s.endNanos() - s.sentNanos()) / 1e6;
        Long first = s.firstTokenNanos();
        double ttft = first == null ? latency : (first - s.sentNanos()) / 1e6;
        Double itlMean = null;
        Double itlP95 = null;
        List<Long> tokens = s.tokenNanos();
        if (tokens.size() > 1) {
            double[] gaps = new double[tokens.size() - 1];
            for (int i = 1; i < tokens.size(); i++) {
                gaps[i - 1] = (tokens.get(i) - tokens.get(i - 1)) / 1e6;
            }
            itlMean = java.util.Arrays.stream(gaps).average().orElse(0);
            double[] sorted = gaps.clone();
            java.util.Arrays.sort(sorted);
            itlP95 = Statistics.percentile(sorted, 95);
        }
        Integer completion = s.completionTokens();
        Double generationTps = null;
        if (completion != null && completion > 1 && tokens.size() > 1 && s.lastTokenNanos() > first) {
            // The first token comes out of prompt processing; the n − 1 after it fill the first→last span
            // (llama-server's predicted_per_second counts the same way).
            generationTps = (completion - 1) / ((s.lastTokenNanos() - first) / 1e9);
        }
        ServerTimings t = s.timings();
        Instant startedAt = Instant.now().minusNanos(System.nanoTime() - s.sentNanos());
        return new Sample(Sample.idOf(trialId, concurrency, repetition, conversationId, round), conversationId, round, repetition,
                concurrency, startedAt, nz(s.promptTokens()), nz(completion), nz(s.cachedTokens()), ttft, latency, itlMean, itlP95,
                generationTps, t == null ? null : t.promptMillis(), t == null ? null : t.promptPerSecond(),
                t == null ? null : t.predictedMillis(), t == null ? null : t.predictedPerSecond(),
                t == null ? null : t.draftN(), t == null ? null : t.draftAcceptedN(), s.finishReason(), prompt, s.answer(), s.error());
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }

    /** The length of the union of [start, end] intervals, in milliseconds. */
    static long unionMillis(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort(java.util.Comparator.comparingLong(a -> a[0]));
        long total = 0;
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        for (long[] interval : sorted) {
            if (interval[0] > end) {
                total += end - start;
                start = interval[0];
                end = interval[1];
            } else {
                end = Math.max(end, interval[1]);
            }
        }
        total += end - start;
        return total / 1_000_000;
    }
}
