package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The orchestrator's and the viz service's HTTP APIs as the CLI uses them. A 4xx or 5xx answer becomes an
 * {@link ApiException} carrying the problem body's message, never a stack trace.
 */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI orchestrator;
    private final URI viz;
    private final String apiKey;

    public ApiClient(URI orchestrator, URI viz, String apiKey) {
        this.orchestrator = orchestrator;
        this.viz = viz;
        this.apiKey = apiKey;
    }

    /** Endpoints and key from the environment that {@code ./optbench} sets from {@code .optbench/config.env}. */
    public static ApiClient fromEnvironment() {
        return new ApiClient(URI.create(env("OPTBENCH_URL", "http://127.0.0.1:8080")),
                URI.create(env("OPTBENCH_VIZ_URL", "http://127.0.0.1:8083")), System.getenv("OPTBENCH_API_KEY"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public URI orchestrator() {
        return orchestrator;
    }

    public URI viz() {
        return viz;
    }

    public JsonNode get(String path) {
        return json(send(request(orchestrator, path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    public String getText(String path) {
        return send(request(orchestrator, path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    public JsonNode post(String path, Object body) {
        String json = body instanceof String text ? text : Messages.toJson(body);
        HttpRequest request = request(orchestrator, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return json(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** A viz-service resource as JSON. */
    public JsonNode getViz(String path) {
        return json(send(request(viz, path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Downloads a viz-service resource to a file, replacing what the file held. */
    public void download(String path, Path target) {
        // ofFile(target) alone does not truncate: a shorter chart over a longer one kept the old one's tail.
        send(request(viz, path).GET().build(), HttpResponse.BodyHandlers.ofFile(target, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(URI base, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (ConnectException e) {
            throw new ApiException("cannot reach " + request.uri().resolve("/") + " — is the stack up? (./optbench up)", 0);
        } catch (IOException e) {
            throw new ApiException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted", 0);
        }
        if (response.statusCode() >= 400) {
            Object body = response.body();
            String text = body instanceof Path file ? readQuietly(file) : String.valueOf(body);
            throw ApiException.fromProblem(request.method() + " " + request.uri().getPath(), response.statusCode(), text);
        }
        return response;
    }

    private static String readQuietly(Path file) {
        try {
            String text = java.nio.file.Files.readString(file);
            java.nio.file.Files.deleteIfExists(file);
            return text;
        } catch (IOException e) {
            return "";
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return Messages.mapper().nullNode();
        }
        try {
            return Messages.mapper().readTree(body);
        } catch (IOException e) {
            throw new ApiException("the API answered with something that is not JSON: " + body.substring(0, Math.min(200, body.length())), response.statusCode());
        }
    }
}
