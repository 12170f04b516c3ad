package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.summary.TrialSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Two or more runs side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "Compare two or more runs: each run's trials side by side.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "RUN_ID")
    List<String> runIds;

    @Override
    public Integer call() {
        ApiClient api = ApiClient.fromEnvironment();
        JsonNode comparison = api.get("/api/compare?runs=" + ApiClient.encode(String.join(",", runIds)));
        for (JsonNode run : comparison.path("runs")) {
            System.out.println(run.path("name").asText() + " (" + run.path("id").asText() + ", " + run.path("status").asText() + ")");
            List<TrialSummary> summaries = new java.util.ArrayList<>();
            run.path("summaries").forEach(s -> summaries.add(Messages.mapper().convertValue(s, TrialSummary.class)));
            System.out.print(SummaryTable.render(summaries));
            System.out.println();
        }
        System.out.println("charts: " + api.viz().resolve("/compare?runs=" + String.join(",", runIds)));
        return 0;
    }
}
