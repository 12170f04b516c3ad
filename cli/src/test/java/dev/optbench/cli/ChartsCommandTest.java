package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart download against an HTTP server on a free loopback port that answers as the viz service does: the
 * rounds chart with a 500 problem (a stored summary it cannot read), the ablation chart of a run without a sweep
 * with a drawing and no rows.
 */
class ChartsCommandTest {
    private static final String RUN = "0b7e6a4c-1d2e-4f00-9a6b-3c5d7e9f1a2b";
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private HttpServer viz;
    private ApiClient api;

    @TempDir
    Path directory;

    @BeforeEach
    void startTheService() throws IOException {
        viz = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        viz.createContext("/", this::answer);
        viz.start();
        URI base = URI.create("http://127.0.0.1:" + viz.getAddress().getPort());
        api = new ApiClient(base, base, null);
    }

    @AfterEach
    void stopTheService() {
        viz.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        asked.add(path + (query == null ? "" : "?" + query));
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (file.startsWith("rounds.")) {
            respond(exchange, 500, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"Stored runs unreadable\","
                    + "\"status\":500,\"detail\":\"stored summary is unreadable: unexpected end of input\"}");
        } else if (file.equals("ablation.json")) {
            respond(exchange, 200, "application/json", "{\"chart\":\"ablation\",\"columns\":[\"label\"],\"rows\":[]}");
        } else if (file.endsWith(".json")) {
            respond(exchange, 200, "application/json", "{\"chart\":\"x\",\"columns\":[\"label\"],\"rows\":[{\"label\":\"baseline\"}]}");
        } else {
            respond(exchange, 200, file.endsWith(".png") ? "image/png" : "image/svg+xml", "drawn " + file);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aChartTheServiceFailsToDrawFailsTheDownloadWithTheProblemsMessage() throws IOException {
        ChartsCommand.Download download = ChartsCommand.download(api, RUN, directory, 300, null);
        assertEquals(List.of("rounds.json", "rounds.png", "rounds.svg"),
                download.failures().stream().map(failure -> failure.substring(0, failure.indexOf(':'))).toList());
        ApiException failed = assertThrows(ApiException.class, download::throwIfFailed);
        assertTrue(failed.getMessage().contains("rounds.png: Stored runs unreadable: stored summary is unreadable"), failed.getMessage());
        assertFalse(Files.exists(directory.resolve("rounds.png")), "no problem body is left as a chart file");
        assertEquals(2 * ChartsCommand.CHARTS.size() - 2, download.written().size(), "the other charts are still written");
        assertEquals("drawn comparison.svg", Files.readString(directory.resolve("comparison.svg")));
    }

    @Test
    void aChartWrittenOverALongerOneReplacesItWhole() throws IOException {
        Files.writeString(directory.resolve("comparison.svg"), "an older and much longer drawing of the comparison chart");
        ChartsCommand.download(api, RUN, directory, 300, null);
        assertEquals("drawn comparison.svg", Files.readString(directory.resolve("comparison.svg")));
    }

    @Test
    void aChartWithNothingToDrawIsReportedAndItsDrawingKept() {
        ChartsCommand.Download download = ChartsCommand.download(api, RUN, directory, 300, null);
        assertEquals(List.of("ablation"), download.nothingToDraw());
        assertTrue(Files.exists(directory.resolve("ablation.png")), "the drawing that says why is written");
        assertTrue(download.failures().stream().noneMatch(failure -> failure.startsWith("ablation")), download.failures().toString());
    }

    @Test
    void theDpiGoesToEveryPngAndTheTargetToTheProgressChart() {
        ChartsCommand.download(api, RUN, directory, 150, 48.0);
        String charts = "/api/runs/" + RUN + "/charts/";
        assertTrue(asked.contains(charts + "progress.png?target=48.00&dpi=150"), asked.toString());
        assertTrue(asked.contains(charts + "progress.svg?target=48.00"), asked.toString());
        assertTrue(asked.contains(charts + "comparison.png?dpi=150"), asked.toString());
        assertTrue(asked.contains(charts + "comparison.svg"), asked.toString());
        assertEquals(3 * ChartsCommand.CHARTS.size(), asked.size(), "the figures, the PNG and the SVG of each chart");
    }
}
