package dev.optbench.viz;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.testsupport.ChartImages;
import dev.optbench.viz.charts.ChartKind;
import dev.optbench.viz.charts.ChartTestSupport;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;

@QuarkusTest
@WithTestResource(TestDatabase.class)
class ChartEndpointsTest {
    // A pool of this test's own: the history query only finds these runs even if the schema is shared.
    private static final String POOL = "viz-endpoints-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final RunFixture OLDEST = RunFixture.standard("viz-history-1", POOL, NOW.minus(20, ChronoUnit.DAYS), "abc1234", 0.8).finished("COMPLETED");
    private static final RunFixture OLDER = RunFixture.standard("viz-history-2", POOL, NOW.minus(10, ChronoUnit.DAYS), "abc1234", 0.85).finished("COMPLETED");
    private static final RunFixture RUN = RunFixture.standard("viz-endpoints " + POOL, POOL, NOW, "de3ff81", 1.0);

    @BeforeAll
    static void storeRuns() throws Exception {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        TestDatabase.insert(OLDEST, OLDER, RUN);
    }

    @AfterAll
    static void removeRuns() throws Exception {
        TestDatabase.delete(OLDEST, OLDER, RUN);
    }

    private static String chart(String file) {
        return "/api/runs/" + RUN.runId + "/charts/" + file;
    }

    @ParameterizedTest
    @EnumSource(ChartKind.class)
    void everyChartOfAStoredRunIsAPngAtTheAskedDpi(ChartKind kind) throws Exception {
        byte[] normal = given().get(chart(kind.slug + ".png")).then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        byte[] print = given().queryParam("dpi", 300).get(chart(kind.slug + ".png")).then().statusCode(200)
                .extract().asByteArray();
        ChartImages.Png png = ChartImages.readPng(normal);
        ChartImages.Png printPng = ChartImages.readPng(print);
        assertEquals(150, png.dotsPerInch(), "150 dpi by default");
        assertEquals(300, printPng.dotsPerInch());
        assertEquals(2 * png.image().getWidth(), printPng.image().getWidth(), 1);
        assertEquals(2 * png.image().getHeight(), printPng.image().getHeight(), 1);
    }

    @ParameterizedTest
    @EnumSource(ChartKind.class)
    void everyChartOfAStoredRunIsAnSvgOfThePngsSizeWithEveryVariant(ChartKind kind) throws Exception {
        String svg = given().get(chart(kind.slug + ".svg")).then().statusCode(200)
                .contentType("image/svg+xml").extract().asString();
        byte[] png = given().queryParam("dpi", 120).get(chart(kind.slug + ".png")).then().statusCode(200)
                .extract().asByteArray();
        Document document = ChartImages.parseSvg(svg);
        ChartImages.SvgSize size = ChartImages.svgSize(document);
        ChartImages.Png image = ChartImages.readPng(png);
        assertEquals(120, image.dotsPerInch());
        assertEquals(ChartImages.pixels(size.width(), 120), image.image().getWidth(), kind + ": the PNG at 120 dpi is the SVG's width scaled");
        assertEquals(ChartImages.pixels(size.height(), 120), image.image().getHeight(), kind + ": and its height");
        List<String> variants = ChartTestSupport.variantTexts(RUN, kind);
        assertTrue(variants.size() >= 4, kind + ": the stored run has the baseline and at least three variants to draw");
        assertTrue(variants.contains("baseline"));
        for (String variant : variants) {
            assertTrue(ChartImages.shows(document, variant), kind + " names " + variant + ":\n" + ChartImages.svgText(document));
        }
    }

    @Test
    void theComparisonDrawsTheBaselineAndEverySummarisedVariant() {
        JsonPath data = given().get(chart("comparison.json")).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertEquals(List.of("baseline", "flash-attn", "kv-q8", "ctx-512", "ctx-1024", "ctx-2048"), data.getList("rows.label"));
        assertEquals(300.0f, data.getFloat("rows.find { it.label == 'flash-attn' }.latencyMillisP50"));
        String csv = given().get(chart("comparison.csv")).then().statusCode(200).contentType(startsWith("text/csv"))
                .extract().asString();
        assertTrue(csv.startsWith("label,variant,baseline,latencyMillisP50"), csv);
        assertEquals(7, csv.split("\r\n").length, "a header and six variants");
    }

    @Test
    void theVariantsFilterKeepsTheBaselineAndTheChosenOnes() {
        List<String> labels = given().queryParam("variants", "flash-attn,ctx-1024").get(chart("comparison.json"))
                .then().statusCode(200).extract().jsonPath().getList("rows.label");
        assertEquals(List.of("baseline", "flash-attn", "ctx-1024"), labels);
    }

    @Test
    void historyFollowsTheSameVariantAcrossRunsOfThePool() {
        JsonPath data = given().queryParam("variants", "flash-attn").get(chart("history.json")).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> flash = data.getList("rows.findAll { it.label == 'flash-attn' }");
        assertEquals(3, flash.size(), "three runs measured flash-attn on this pool");
        assertEquals(List.of("viz-history-1", "viz-history-2", RUN.name), flash.stream().map(r -> r.get("runName")).toList());
        assertEquals(List.of("abc1234", "abc1234", "de3ff81"), flash.stream().map(r -> r.get("llamaCommit")).toList());
    }

    @Test
    void theCompareChartLabelsEachVariantWithItsRun() {
        List<String> labels = given().queryParam("runs", OLDEST.runId + "," + RUN.runId)
                .get("/api/compare/charts/comparison.json").then().statusCode(200).extract().jsonPath().getList("rows.label");
        assertTrue(labels.contains("viz-history-1 · flash-attn"), labels.toString());
        assertTrue(labels.contains(RUN.name + " · baseline"), labels.toString());
        assertEquals(12, labels.size());
        given().queryParam("runs", OLDEST.runId + "," + RUN.runId).get("/api/compare/charts/pareto.png")
                .then().statusCode(200).contentType("image/png");
    }

    @Test
    void aRunThatIsNotStoredIsA404Problem() {
        given().get("/api/runs/" + UUID.randomUUID() + "/charts/comparison.png").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404)).body("title", equalTo("Run not found"));
        given().get("/api/runs/not-a-run/charts/comparison.svg").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/runs/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().queryParam("runs", RUN.runId + "," + UUID.randomUUID()).get("/api/compare/charts/summary.png")
                .then().statusCode(404);
    }

    @Test
    void anUnknownChartOrFormatIsA404Problem() {
        given().get(chart("pie.png")).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("comparison"));
        given().get(chart("comparison.gif")).then().statusCode(404).contentType("application/problem+json");
        given().get(chart("comparison")).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badChartParametersAre400ProblemsNamingTheField() {
        given().queryParam("dpi", "lots").get(chart("comparison.png")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("dpi"));
        given().queryParam("dpi", 5000).get(chart("comparison.png")).then().statusCode(400).body("field", equalTo("dpi"));
        given().queryParam("dpi", 0).get(chart("comparison.png")).then().statusCode(400).body("field", equalTo("dpi"));
        given().queryParam("metric", "speed").get(chart("progress.png")).then().statusCode(400).body("field", equalTo("metric"));
        given().queryParam("target", "-3").get(chart("progress.png")).then().statusCode(400).body("field", equalTo("target"));
        given().queryParam("variants", "no-such-variant").get(chart("comparison.png")).then().statusCode(400)
                .body("field", equalTo("variants"));
        given().queryParam("axis", "--threads").get(chart("ablation.png")).then().statusCode(400).body("field", equalTo("axis"));
        given().get("/api/compare/charts/comparison.png").then().statusCode(400).body("field", equalTo("runs"));
    }

    @Test
    void theRunListFindsRunsByNameAndStatus() {
        given().queryParam("q", POOL).get("/api/runs").then().statusCode(200)
                .body("name", hasItem(RUN.name)).body("name", hasItem("viz-history-1"));
        given().queryParam("q", POOL).queryParam("status", "active").get("/api/runs").then().statusCode(200)
                .body("name", hasItem(RUN.name)).body("name", not(hasItem("viz-history-1")));
        given().queryParam("q", POOL).queryParam("status", "finished").get("/api/runs").then().statusCode(200)
                .body("name", not(hasItem(RUN.name))).body("name", hasItem("viz-history-1"));
        given().queryParam("q", "%").get("/api/runs").then().statusCode(200).body("name", not(hasItem(RUN.name)));
    }

    @Test
    void aRunAsJsonHasItsProgressAndFailures() {
        JsonPath run = given().get("/api/runs/" + RUN.runId).then().statusCode(200).extract().jsonPath();
        assertEquals(8, run.getInt("run.trials"));
        assertEquals(7, run.getInt("run.trialsFinished"));
        assertEquals(1, run.getInt("run.trialsFailed"));
        assertEquals(1, run.getInt("run.trialsRunning"));
        assertEquals("llama-server exited with status 1 before /health",
                run.getString("trials.find { it.variantName == 'bad-threads' }.reason"));
        assertEquals(List.of("synthetic:tiny"), run.getList("run.modelRefs"));
    }

    @Test
    void thePagesShowTheRunListARunAndAComparison() {
        given().queryParam("q", POOL).get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString(RUN.name)).body(containsString("/runs/" + RUN.runId));
        given().get("/runs/" + RUN.runId).then().statusCode(200)
                .body(containsString("llama-server exited with status 1 before /health"))
                .body(containsString("error: invalid value for --threads: 999"))
                .body(containsString("its quality scores mean nothing"))
                .body(containsString("/api/runs/" + RUN.runId + "/charts/comparison.png"));
        given().get("/runs/" + RUN.runId + "/live").then().statusCode(200).body(containsString("data-active=\"true\""));
        given().queryParam("runs", RUN.runId + "," + OLDER.runId).get("/compare").then().statusCode(200)
                .body(containsString("/api/compare/charts/comparison.png?runs=" + RUN.runId + "," + OLDER.runId));
        given().get("/runs/" + UUID.randomUUID()).then().statusCode(404).contentType(startsWith("text/html"))
                .body(containsString("Run not found"));
    }
}
