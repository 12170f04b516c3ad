package dev.optbench.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One run: its status and the per-trial summary table. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run: status, progress and the summary table.")
final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--json", description = "print the API's JSON as it is")
    boolean json;

    @Override
    public Integer call() {
        ApiClient api = ApiClient.fromEnvironment();
        var detail = api.get("/api/runs/" + runId);
        if (json) {
            System.out.println(detail.toPrettyString());
            return 0;
        }
        RunView view = new RunView(detail);
        System.out.println(view.name() + " (" + view.id() + ")");
        System.out.println(view.progressLine(Instant.now()));
        System.out.println();
        System.out.print(SummaryTable.render(view.summaries()));
        view.failures().forEach(failure -> System.out.println("FAILED " + failure));
        System.out.println("dashboard: " + api.viz().resolve("/runs/" + view.id()));
        return 0;
    }
}
