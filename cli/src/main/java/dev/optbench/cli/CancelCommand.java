package dev.optbench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Cancels a run: no more of its trials start, running ones are aborted. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a run: its queued trials never start, running ones are aborted.")
final class CancelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Override
    public Integer call() {
        var result = ApiClient.fromEnvironment().post("/api/runs/" + runId + "/cancel", "{}");
        System.out.println("cancelled run " + runId + (result.isMissingNode() || result.isNull() ? "" : ": " + result));
        return 0;
    }
}
