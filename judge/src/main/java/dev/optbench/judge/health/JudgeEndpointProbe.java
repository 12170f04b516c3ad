package dev.optbench.judge.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.judge.models.JudgeEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a judge endpoint answers, without spending a generation: {@code GET /models} on an
 * OpenAI-compatible endpoint, {@code GET /api/tags} on Ollama (whose list also tells whether the model is
 * pulled).
 */
public final class JudgeEndpointProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    /** @param modelAvailable null where the endpoint's list does not tell */
    public record Probe(boolean answers, Boolean modelAvailable, String detail) {
    }

    public Probe probe(JudgeEndpoint endpoint) {
        boolean ollama = endpoint.provider().equals(JudgeEndpoint.OLLAMA);
        URI uri = URI.create(endpoint.baseUrl() + (ollama ? "/api/tags" : "/models"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET();
        if (endpoint.apiKey() != null) {
            request.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Probe(false, null, "GET " + uri + " answered HTTP " + response.statusCode());
            }
            if (!ollama) {
                return new Probe(true, null, "GET " + uri + " answered");
            }
            boolean pulled = listsModel(JSON.readTree(response.body()), endpoint.model());
            return new Probe(true, pulled, pulled ? "model " + endpoint.model() + " is pulled" : "model " + endpoint.model() + " is not pulled (ollama pull " + endpoint.model() + ")");
        } catch (IOException e) {
            return new Probe(false, null, "GET " + uri + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(false, null, "interrupted");
        }
    }

    private static boolean listsModel(JsonNode tags, String model) {
        String wanted = model.contains(":") ? model : model + ":latest";
        JsonNode models = tags == null ? null : tags.get("models");
        if (models == null || !models.isArray()) {
            return false;
        }
        for (JsonNode entry : models) {
            for (String field : new String[] {"name", "model"}) {
                JsonNode name = entry.get(field);
                if (name != null && (name.asText().equals(model) || name.asText().equals(wanted))) {
                    return true;
                }
            }
        }
        return false;
    }
}
