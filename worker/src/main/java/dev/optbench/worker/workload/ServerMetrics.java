package dev.optbench.worker.workload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * llama-server's Prometheus counters ({@code /metrics}, on because the worker passes {@code --metrics}).
 */
public final class ServerMetrics {
    private ServerMetrics() {
    }

    /** Every {@code llamacpp:*_total} counter, by name. */
    public static Map<String, Double> scrape(URI server) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve("/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("/metrics answered " + response.statusCode());
            }
            return counters(response.body());
        }
    }

    static Map<String, Double> counters(String text) {
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length >= 2 && parts[0].endsWith("_total") && !parts[0].contains("{")) {
                try {
                    counters.put(parts[0], Double.parseDouble(parts[1]));
                } catch (NumberFormatException notANumber) {
                    // a sample value Prometheus allows but a counter never has (NaN written differently)
                }
            }
        }
        return counters;
    }

    /** after − before for every counter present in both. */
    public static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((name, value) -> {
            Double start = before.get(name);
            if (start != null) {
                delta.put(name, value - start);
            }
        });
        return delta;
    }
}
