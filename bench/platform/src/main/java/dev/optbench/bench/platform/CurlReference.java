package dev.optbench.bench.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.stats.Statistics;
import dev.optbench.worker.workload.ChatStreamClient;
import dev.optbench.worker.workload.RequestWatchdog;
import dev.optbench.worker.workload.StreamedCompletion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control for the harness overhead: the same streamed chat requests sent with curl, a client that is not the
 * worker's, to a llama-server this class starts with the trial's flags. curl's own timers give the request's time
 * from connection made to the end of the stream; minus the server's prompt_ms + predicted_ms, that is what any
 * client sees beyond the server's timers on this machine at this load (the server's HTTP handling, templating and
 * tokenising, thread hand-offs), so the worker's figure can be read against it.
 */
final class CurlReference {
    private final Path binDir;
    private final Path model;
    private final Path log;

    CurlReference(Path binDir, Path model, Path log) {
        this.binDir = binDir;
        this.model = model;
        this.log = log;
    }

    /**
     * Median over {@code requests} requests of (connect → end of stream) − (prompt_ms + predicted_ms), in ms.
     *
     * @param extraFlags flags beyond the trial's, e.g. {@code --no-jinja} to see what the chat template costs
     */
    double overheadMillis(int threads, String flashAttention, List<String> extraFlags, String[] prompts, int requests, int maxTokens)
            throws IOException, InterruptedException {
        return withServer(threads, flashAttention, extraFlags, port -> {
            List<Double> overheads = new ArrayList<>();
            for (int i = -1; i < requests; i++) {
                double overhead = curl(port, body(prompts[Math.floorMod(i, prompts.length)], maxTokens));
                if (i >= 0) {
                    overheads.add(overhead);
                }
            }
            return median(overheads);
        });
    }

    /** The worker's request client against curl, request by request on one server: medians and the median of the pairs. */
    record Paired(double workerMillis, double curlMillis, double workerMinusCurlMillis) {
    }

    /**
     * The same request sent by the worker's own client ({@link ChatStreamClient}, exactly as a trial sends it) and by
     * curl, one after the other on one llama-server, the order alternating: the difference of each pair is what the
     * worker's client adds beyond any client's cost on this server, at this moment; the machine's drift and the
     * server's own pre-prompt work cancel out of it.
     */
    Paired pairedWithWorkerClient(int threads, String flashAttention, String[] prompts, int pairs, int maxTokens)
            throws IOException, InterruptedException {
        return withServer(threads, flashAttention, List.of(), port -> {
            ChatStreamClient client = new ChatStreamClient(Duration.ofMinutes(2));
            URI server = URI.create("http://127.0.0.1:" + port);
            List<Double> worker = new ArrayList<>();
            List<Double> control = new ArrayList<>();
            List<Double> differences = new ArrayList<>();
            try (RequestWatchdog watchdog = new RequestWatchdog(Duration.ofMinutes(2), () -> { })) {
                for (int i = -1; i < pairs; i++) {
                    String body = body(prompts[Math.floorMod(i, prompts.length)], maxTokens);
                    double w;
                    double c;
                    if (Math.floorMod(i, 2) == 0) {
                        w = workerClient(client, server, body, watchdog);
                        c = curl(port, body);
                    } else {
                        c = curl(port, body);
                        w = workerClient(client, server, body, watchdog);
                    }
                    if (i >= 0) {
                        worker.add(w);
                        control.add(c);
                        differences.add(w - c);
                    }
                }
            }
            return new Paired(median(worker), median(control), median(differences));
        });
    }

    private static double workerClient(ChatStreamClient client, URI server, String body, RequestWatchdog watchdog) throws IOException {
        StreamedCompletion completion;
        try (RequestWatchdog.Activity activity = watchdog.start()) {
            completion = client.stream(server, body, activity);
        }
        if (completion.error() != null || completion.timings() == null) {
            throw new IllegalStateException("the worker's client got no timings: " + completion.error());
        }
        return (completion.endNanos() - completion.sentNanos()) / 1e6 - completion.timings().promptMillis()
                - completion.timings().predictedMillis();
    }

    @FunctionalInterface
    private interface OnServer<T> {
        T measure(int port) throws IOException, InterruptedException;
    }

    private <T> T withServer(int threads, String flashAttention, List<String> extraFlags, OnServer<T> measure)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<String> argv = new ArrayList<>(List.of(binDir.resolve("llama-server").toString(), "--model", model.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--threads", Integer.toString(threads),
                "--flash-attn", flashAttention, "--ignore-eos", "--metrics", "--parallel", "1"));
        argv.addAll(extraFlags);
        Process server = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            awaitHealthy(port, server);
            return measure.measure(port);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private static double median(List<Double> values) {
        return Statistics.percentile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 50);
    }

    private static String body(String prompt, int maxTokens) {
        ObjectNode body = Messages.mapper().createObjectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0.8);
        body.put("seed", 42);
        return body.toString();
    }

    private double curl(int port, String body) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder(List.of("curl", "-sS", "-N", "-H", "Content-Type: application/json",
                "--data-binary", body, "-w", "\ncurl-times %{time_connect} %{time_total}\n",
                "http://127.0.0.1:" + port + "/v1/chat/completions")).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (curl.waitFor() != 0) {
            throw new IllegalStateException("curl failed: " + out);
        }
        JsonNode timings = null;
        double connect = Double.NaN;
        double total = Double.NaN;
        for (String line : out.split("\n")) {
            if (line.startsWith("data: {") && line.contains("\"timings\"")) {
                timings = Messages.mapper().readTree(line.substring(6)).get("timings");
            } else if (line.startsWith("curl-times ")) {
                String[] times = line.split(" ");
                connect = Double.parseDouble(times[1]);
                total = Double.parseDouble(times[2]);
            }
        }
        if (timings == null) {
            throw new IllegalStateException("llama-server's stream carried no timings: " + out);
        }
        return (total - connect) * 1000 - timings.get("prompt_ms").asDouble() - timings.get("predicted_ms").asDouble();
    }

    private static void awaitHealthy(int port, Process server) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("llama-server exited during start");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still loading
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("llama-server was not healthy within 2 minutes");
    }
}
