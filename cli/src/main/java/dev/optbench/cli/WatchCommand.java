package dev.optbench.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Follows a run's progress until it ends, then prints its summary table. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a run's progress (trials done, current trial, ETA) until it ends.")
final class WatchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Override
    public Integer call() {
        return follow(ApiClient.fromEnvironment(), runId, System.out);
    }

    /** Polls the run once a second, printing a line whenever its progress changes; 0 when it completed. */
    static int follow(ApiClient api, String runId, PrintStream out) {
        String last = "";
        RunView view;
        while (true) {
            view = new RunView(api.get("/api/runs/" + runId));
            String line = view.progressLine(Instant.now());
            String withoutEta = line.replaceAll(" — ETA .*$", "");
            if (!withoutEta.equals(last)) {
                out.println(line);
                last = withoutEta;
            }
            if (view.ended()) {
                break;
            }
            sleep(1000);
        }
        out.println();
        out.print(SummaryTable.render(view.summaries()));
        view.failures().forEach(failure -> out.println("FAILED " + failure));
        if (view.usesTinyModel()) {
            out.println("Note: the generated tiny model has random weights. Its answers are gibberish, so its judge scores, "
                    + "perplexity and KLD mean nothing; its timings are real.");
        }
        return "COMPLETED".equals(view.status()) ? 0 : 1;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
