package dev.optbench.bench.platform;

import dev.optbench.contracts.stats.Statistics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

/**
 * Section 5: one request after another to a stored run's page of the API or one of its charts, through HTTP on
 * loopback. Each repetition is {@code requests} requests after a warm-up; it gives their p50 and p95 and the CPU
 * time the serving process spent per request (read from /proc, so the figure does not include time spent waiting
 * for a core on a busy machine).
 */
final class QueryBench {
    private final Stack stack;

    QueryBench(Stack stack) {
        this.stack = stack;
    }

    record Repetition(double p50Millis, double p95Millis, double cpuMillisPerRequest, long bytes) {
    }

    void warmUp(URI uri, int requests) throws IOException, InterruptedException {
        for (int i = 0; i < requests; i++) {
            send(uri);
        }
    }

    Repetition repeat(URI uri, ServiceProcess server, int requests) throws IOException, InterruptedException {
        double[] millis = new double[requests];
        long bytes = 0;
        double cpuBefore = server.cpuSeconds();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            bytes = send(uri);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        double cpu = server.cpuSeconds() - cpuBefore;
        Arrays.sort(millis);
        return new Repetition(Statistics.percentile(millis, 50), Statistics.percentile(millis, 95), cpu * 1000 / requests, bytes);
    }

    private long send(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = stack.http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
        }
        return response.body().length;
    }
}
