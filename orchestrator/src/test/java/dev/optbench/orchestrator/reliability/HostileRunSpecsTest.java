package dev.optbench.orchestrator.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.flags.FlagPolicy;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Topics;
import dev.optbench.orchestrator.support.Api;
import dev.optbench.orchestrator.support.Database;
import dev.optbench.testsupport.HostileRunSpecs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite's bad-input corpus against the orchestrator alone: more than a thousand generated malformed
 * and hostile run specs, each answered with a 4xx and a problem body, none with a 5xx, none stored, no job queued.
 * The same corpus runs against a whole stack in the reliability module, which also shows that no process starts.
 */
@QuarkusTest
@Tag("reliability")
class HostileRunSpecsTest {
    private static final Pattern SUBMITTED = Pattern.compile("(?m)^optbench_runs_submitted_total(?:\\{[^}]*})? (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/runs")
    URI runs;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void everyHostileSpecGetsA4xxWithAProblemBodyAndNothingIsStored() throws Exception {
        String pool = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        List<HostileRunSpecs.Case> corpus = HostileRunSpecs.corpus(pool, FlagPolicy.pinnedRelease().forbidden().keySet());
        assertTrue(corpus.size() >= 1000, "the corpus holds " + corpus.size() + " specs");
        double submittedBefore = runsSubmitted();
        int clientErrors = 0;
        int serverErrors = 0;
        List<String> wrong = new ArrayList<>();
        for (HostileRunSpecs.Case hostile : corpus) {
            HttpResponse<String> response = post(hostile.contentType(), hostile.body());
            int status = response.statusCode();
            if (status >= 500) {
                serverErrors++;
            } else if (status >= 400) {
                clientErrors++;
            }
            String problem = problemOf(response);
            if (status < 400 || status >= 500 || problem != null) {
                wrong.add(hostile + " → " + status + (problem == null ? "" : " " + problem) + ": " + preview(response.body()));
            }
        }
        long stored = Database.count("SELECT count(*) FROM run WHERE pool = ?", pool);
        long queued = Database.count("SELECT count(*) FROM outbox WHERE topic = ?", Topics.JOBS_PREFIX + pool);
        write(corpus.size(), clientErrors, serverErrors, stored);

        assertEquals(List.of(), wrong.subList(0, Math.min(wrong.size(), 40)), wrong.size() + " of " + corpus.size() + " specs were not refused well");
        assertEquals(0, serverErrors);
        assertEquals(0, stored, "runs stored from hostile specs");
        assertEquals(0, queued, "jobs queued from hostile specs");
        assertEquals(submittedBefore, runsSubmitted(), "optbench_runs_submitted_total");

        // The spec every case derives from is accepted, and the same checks see it: they could have failed.
        HttpResponse<String> valid = post("application/json", HostileRunSpecs.validSpec(pool, "hostile-control").getBytes());
        assertEquals(201, valid.statusCode(), valid.body());
        assertEquals(1, Database.count("SELECT count(*) FROM run WHERE pool = ?", pool));
        assertTrue(Database.count("SELECT count(*) FROM outbox WHERE topic = ?", Topics.JOBS_PREFIX + pool) > 0);
        assertEquals(submittedBefore + 1, runsSubmitted());
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(runs).header("Content-Type", contentType).header("X-API-Key", Api.apiKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What is wrong with a response's problem body, or null when it is an RFC 7807 problem of the response's status. */
    private static String problemOf(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "Content-Type " + type;
        }
        try {
            JsonNode problem = Messages.mapper().readTree(response.body());
            if (problem.path("status").asInt() != response.statusCode() || problem.path("title").asText().isBlank()) {
                return "problem without its status or title";
            }
            return null;
        } catch (IOException e) {
            return "body is not JSON";
        }
    }

    private double runsSubmitted() throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = SUBMITTED.matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String preview(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    /** The tally for the reliability suite's report: tried, 4xx, 5xx, stored. */
    private static void write(int tried, int clientErrors, int serverErrors, long stored) throws IOException {
        Path file = Path.of("target/reliability/bad-input-orchestrator.tsv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "tried\t4xx\t5xx\tstored\n" + tried + "\t" + clientErrors + "\t" + serverErrors + "\t" + stored + "\n");
    }
}
