package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The stored runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List stored runs, newest first.")
final class RunsCommand implements Callable<Integer> {
    @Option(names = "--name", description = "part of the run's name")
    String name;

    @Option(names = "--status", description = "QUEUED, RUNNING, COMPLETED or CANCELLED")
    String status;

    @Option(names = "--model", description = "part of a model ref")
    String model;

    @Option(names = "--page", defaultValue = "0")
    int page;

    @Override
    public Integer call() {
        StringBuilder query = new StringBuilder("/api/runs?page=").append(page);
        append(query, "name", name);
        append(query, "status", status);
        append(query, "model", model);
        JsonNode result = ApiClient.fromEnvironment().get(query.toString());
        TextTable table = new TextTable(List.of("id", "name", "status", "created", "models", "trials"));
        for (JsonNode run : result.path("items")) {
            List<String> models = new ArrayList<>();
            run.path("models").forEach(m -> models.add(m.asText()));
            int finished = run.path("trialsByStatus").path("SUCCEEDED").asInt() + run.path("trialsByStatus").path("FAILED").asInt()
                    + run.path("trialsByStatus").path("CANCELLED").asInt();
            table.row(List.of(run.path("id").asText(), run.path("name").asText(), run.path("status").asText(),
                    run.path("createdAt").asText().replaceAll("\\.\\d+Z$", "Z"), String.join(", ", models),
                    finished + "/" + run.path("trials").asInt()));
        }
        System.out.print(table.render());
        System.out.println("page " + result.path("page").asInt() + ", " + result.path("total").asLong() + " runs in all");
        return 0;
    }

    private static void append(StringBuilder query, String key, String value) {
        if (value != null && !value.isBlank()) {
            query.append('&').append(key).append('=').append(ApiClient.encode(value));
        }
    }
}
