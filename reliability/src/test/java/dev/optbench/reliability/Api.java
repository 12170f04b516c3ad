package dev.optbench.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The stack's HTTP APIs as the suite calls them. Every response body is checked for the API key on the way, so
 * a leak anywhere the suite looked is caught.
 */
final class Api {
    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> LEAKS = Collections.synchronizedList(new ArrayList<>());

    private Api() {
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return Messages.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** Responses that held the API key: none, or the key leaked. */
    static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    static Reply send(String method, String url, String contentType, byte[] body, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String key = Stack.apiKey();
            if (key != null && !key.isEmpty() && (response.body().contains(key) || response.headers().toString().contains(key))) {
                LEAKS.add(method + " " + url + " → " + response.statusCode());
            }
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply get(String url) {
        return send("GET", url, null, null, null);
    }

    static String orchestrator() {
        return Stack.url("orchestrator");
    }

    /** Submits a run spec with the key; returns its id. */
    static UUID submit(String spec) {
        Reply reply = send("POST", orchestrator() + "/api/runs", "application/json", spec.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Stack.apiKey());
        if (reply.status() != 201) {
            throw new AssertionError("POST /api/runs: " + reply.status() + " " + reply.body());
        }
        return UUID.fromString(reply.json().path("id").asText());
    }

    static JsonNode run(UUID id) {
        Reply reply = get(orchestrator() + "/api/runs/" + id);
        if (reply.status() != 200) {
            throw new AssertionError("GET /api/runs/" + id + ": " + reply.status() + " " + reply.body());
        }
        return reply.json();
    }

    /** The run, polled until the condition holds; null when the orchestrator does not answer (it may be down). */
    static JsonNode awaitRun(UUID id, Duration timeout, Predicate<JsonNode> condition, String what) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = run(id);
                if (condition.test(last)) {
                    return last;
                }
            } catch (IllegalStateException unreachable) {
                // The orchestrator is restarting; ask again.
            }
            sleep(Duration.ofMillis(300));
        }
        throw new AssertionError("run " + id + " did not " + what + " within " + timeout + "; last seen: " + summary(last));
    }

    static boolean finished(JsonNode run) {
        if (run == null || !run.path("status").asText().equals("COMPLETED")) {
            return false;
        }
        for (JsonNode trial : run.path("trials")) {
            if (!FINAL.contains(trial.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    static JsonNode awaitFinished(UUID id, Duration timeout) {
        return awaitRun(id, timeout, Api::finished, "finish");
    }

    /** A trial of the run that has played some of its requests but not all, or null. */
    static JsonNode trialInProgress(JsonNode run) {
        for (JsonNode trial : run.path("trials")) {
            int done = trial.path("samplesDone").asInt(0);
            int total = trial.path("samplesTotal").asInt(0);
            if (trial.path("status").asText().equals("RUNNING") && done > 0 && done < total) {
                return trial;
            }
        }
        return null;
    }

    static String summary(JsonNode run) {
        if (run == null) {
            return "nothing";
        }
        StringBuilder out = new StringBuilder(run.path("status").asText());
        for (JsonNode trial : run.path("trials")) {
            out.append("; ").append(trial.path("status").asText()).append(' ').append(trial.path("samplesDone").asText("-")).append('/')
                    .append(trial.path("samplesTotal").asText("-")).append(" on ").append(trial.path("workerId").asText("-"));
            if (trial.hasNonNull("reason")) {
                out.append(" (").append(trial.path("reason").asText()).append(')');
            }
        }
        return out.toString();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
