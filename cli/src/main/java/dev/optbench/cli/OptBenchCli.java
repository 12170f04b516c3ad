package dev.optbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./optbench} commands that talk to a running stack over HTTP. The launcher script starts the stack and
 * passes the orchestrator URL, the viz URL and the API key in the environment.
 */
@Command(name = "optbench", mixinStandardHelpOptions = true, version = "OptBench 0.1.0",
        description = "Benchmark llama.cpp configurations and see what they cost in answer quality.",
        subcommands = {SubmitCommand.class, RunsCommand.class, ShowCommand.class, WatchCommand.class, CancelCommand.class,
                ExportCommand.class, ChartsCommand.class, CompareCommand.class, DemoCommand.class, OptimizeCommand.class,
                SearchCommand.class, FetchCommand.class})
public final class OptBenchCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine commandLine = new CommandLine(new OptBenchCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ApiException || e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
                    || e instanceof dev.optbench.contracts.hub.ModelHubException) {
                cmd.getErr().println("optbench: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine.execute(args);
    }
}
