package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows a search: its trials with their roofline share, and once it ends its answer; or lists the searches. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Show a search's trials and answer (no id: list the searches); --watch follows it, --cancel cancels it.")
final class SearchCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SEARCH_ID")
    String searchId;

    @Option(names = "--watch", description = "follow the search until it ends")
    boolean watch;

    @Option(names = "--cancel", description = "cancel the search")
    boolean cancel;

    @Override
    public Integer call() {
        ApiClient api = ApiClient.fromEnvironment();
        if (searchId == null) {
            TextTable table = new TextTable(List.of("id", "name", "status", "trials", "recommendation"));
            for (JsonNode item : api.get("/api/searches")) {
                table.row(List.of(item.path("id").asText(), item.path("name").asText(), item.path("status").asText(),
                        item.path("trialsSpent").asText() + (item.path("trialBudget").isNull() ? "" : "/" + item.path("trialBudget").asText()),
                        item.path("recommendation").asText("")));
            }
            System.out.print(table.render());
            return 0;
        }
        if (cancel) {
            JsonNode cancelled = api.post("/api/searches/" + searchId + "/cancel", "{}");
            System.out.println("search " + searchId + ": " + cancelled.path("status").asText());
            return 0;
        }
        if (watch) {
            return follow(api, searchId, System.out);
        }
        print(api.get("/api/searches/" + searchId), System.out);
        return 0;
    }

    /** Polls the search every two seconds, a line per new trial, until it ends; then prints its answer. */
    static int follow(ApiClient api, String id, PrintStream out) {
        int shown = 0;
        JsonNode search;
        while (true) {
            search = api.get("/api/searches/" + id);
            JsonNode trials = search.path("result").path("trials");
            for (int i = shown; i < trials.size(); i++) {
                out.println(trialLine(trials.get(i), search.path("result")));
            }
            shown = trials.size();
            if (!"RUNNING".equals(search.path("status").asText())) {
                break;
            }
            WatchCommand.sleep(2000);
        }
        out.println();
        print(search, out);
        return "COMPLETED".equals(search.path("status").asText()) && !search.path("result").path("recommendation").isNull() ? 0 : 1;
    }

    static void print(JsonNode search, PrintStream out) {
        JsonNode result = search.path("result");
        out.printf(Locale.ROOT, "search %s (%s): %s, phase %s, %d trial(s)%s over %d configurations, %.0f device-seconds%n",
                search.path("id").asText(), search.path("name").asText(), search.path("status").asText(), search.path("phase").asText(),
                result.path("trialsSpent").asInt(), result.path("trialBudget").isNull() ? "" : " of " + result.path("trialBudget").asInt(),
                result.path("spaceSize").asInt(), result.path("deviceSeconds").asDouble());
        if (!search.path("reason").isNull() && !search.path("reason").asText().isEmpty()) {
            out.println("  " + search.path("reason").asText());
        }
        TextTable table = new TextTable(List.of("#", "stage", "configuration", result.path("objectiveTitle").asText(), "roofline", "feasible"));
        for (JsonNode trial : result.path("trials")) {
            table.row(List.of(trial.path("index").asText(), trial.path("stage").asText(), trial.path("config").asText(),
                    number(trial.path("objective")), percent(trial.path("rooflineShare")),
                    trial.path("feasible").isNull() ? trial.path("status").asText().toLowerCase(Locale.ROOT)
                            : trial.path("feasible").asBoolean() ? "yes" : "no: " + String.join("; ", texts(trial.path("violations")))));
        }
        out.print(table.render());
        for (JsonNode excluded : result.path("excluded")) {
            out.println("excluded " + excluded.asText());
        }
        JsonNode pick = result.path("recommendation");
        if (pick.isMissingNode() || pick.isNull()) {
            return;
        }
        out.println();
        out.println("Recommended: " + pick.path("label").asText());
        JsonNode gain = pick.path("gainPercent");
        out.printf(Locale.ROOT, "  %s %s (mean of %d full-workload measurements) against the baseline's %s%s%n",
                result.path("objectiveTitle").asText(), number(pick.path("objective")), pick.path("measurements").asInt(),
                number(pick.path("baselineObjective")),
                gain.isNull() || gain.isMissingNode() ? "" : String.format(Locale.ROOT, ": %+.1f %% (95 %% interval %+.1f %% to %+.1f %%)",
                        gain.path("estimate").asDouble(), gain.path("low").asDouble(), gain.path("high").asDouble()));
        if (!gain.isNull() && !gain.isMissingNode() && gain.path("high").asDouble() < 0) {
            out.println("  the baseline measured better: of the space's configurations this is the best, but keep the baseline");
        }
        if (!pick.path("rooflineShare").isNull()) {
            out.printf(Locale.ROOT, "  decode at %s of the memory-bandwidth bound (%s tok/s)%n", percent(pick.path("rooflineShare")),
                    number(pick.path("decodeBoundTokensPerSecond")));
        }
        for (JsonNode check : pick.path("quality").path("checks")) {
            out.println("  quality: " + check.asText());
        }
        out.println("  " + pick.path("commandLine").asText());
        if (result.path("paretoFront").size() > 0) {
            out.println("Pareto front (speed against quality):");
            for (JsonNode point : result.path("paretoFront")) {
                out.printf(Locale.ROOT, "  %s  %s  KLD %s%s%s%n", number(point.path("objective")), point.path("config").asText(),
                        number(point.path("klDivergence")), point.path("feasible").asBoolean() ? "" : "  (breaks a constraint)",
                        point.path("recommended").asBoolean() ? "  ← recommended" : "");
            }
        }
    }

    private static String trialLine(JsonNode trial, JsonNode result) {
        return String.format(Locale.ROOT, "trial %s [%s] %s: %s %s, roofline %s%s", trial.path("index").asText(), trial.path("stage").asText(),
                trial.path("config").asText(), number(trial.path("objective")), result.path("objectiveTitle").asText(),
                percent(trial.path("rooflineShare")), trial.path("feasible").asBoolean(true) ? "" : " (infeasible)");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static String number(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        double v = value.asDouble();
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : Math.abs(v) >= 0.01 ? String.format(Locale.ROOT, "%.3f", v)
                : String.format(Locale.ROOT, "%.2e", v);
    }

    private static String percent(JsonNode share) {
        return share == null || share.isNull() || share.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.1f %%", share.asDouble() * 100);
    }
}
