package dev.optbench.judge.idle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the orchestrator how many runs are RUNNING: {@code GET {orchestrator}/api/runs?status=RUNNING}. The
 * answer may be a JSON array of runs, or a page object with a numeric {@code total} or an {@code items} array.
 */
public final class RunningRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI query;
    private final HttpClient http;

    public RunningRuns(URI orchestrator) {
        String base = orchestrator.toString().endsWith("/") ? orchestrator.toString() : orchestrator + "/";
        this.query = URI.create(base).resolve("api/runs?status=RUNNING");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** The number of RUNNING runs, or why it could not be told. */
    public record Answer(Integer running, String problem) {
    }

    public URI query() {
        return query;
    }

    public Answer ask() {
        HttpRequest request = HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(5)).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Answer(null, "GET " + query + " answered HTTP " + response.statusCode());
            }
            return count(JSON.readTree(response.body()));
        } catch (IOException e) {
            return new Answer(null, "GET " + query + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted while asking " + query);
        }
    }

    private Answer count(JsonNode body) {
        if (body != null && body.isArray()) {
            return new Answer(body.size(), null);
        }
        if (body != null && body.isObject()) {
            JsonNode total = body.get("total");
            if (total != null && total.canConvertToInt()) {
                return new Answer(total.asInt(), null);
            }
            JsonNode items = body.get("items");
            if (items != null && items.isArray()) {
                return new Answer(items.size(), null);
            }
        }
        return new Answer(null, "GET " + query + " answered neither an array nor an object with 'total' or 'items'");
    }
}
