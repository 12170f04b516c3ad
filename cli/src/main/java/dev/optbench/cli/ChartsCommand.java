package dev.optbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Downloads every chart of a run from the viz service as PNG and SVG. */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "Write every chart of a run (PNG and SVG) into a directory.")
final class ChartsCommand implements Callable<Integer> {
    static final List<String> CHARTS = List.of("comparison", "rounds", "ablation", "pareto", "summary", "progress", "history");

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--out", required = true, description = "the directory to write into")
    Path out;

    @Option(names = "--dpi", defaultValue = "300", description = "PNG resolution (default: ${DEFAULT-VALUE})")
    int dpi;

    @Override
    public Integer call() {
        List<Path> written = download(ApiClient.fromEnvironment(), runId, out, dpi, System.err);
        written.forEach(path -> System.out.println(path));
        return written.isEmpty() ? 1 : 0;
    }

    /** Writes each chart the run has data for; a chart the service cannot draw for this run is reported and skipped. */
    static List<Path> download(ApiClient api, String runId, Path directory, int dpi, java.io.PrintStream log) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        for (String chart : CHARTS) {
            for (String format : List.of("png", "svg")) {
                Path target = directory.resolve(chart + "." + format);
                String query = format.equals("png") ? "?dpi=" + dpi : "";
                try {
                    api.download("/api/runs/" + runId + "/charts/" + chart + "." + format + query, target);
                    written.add(target);
                } catch (ApiException e) {
                    log.println("skipped " + chart + "." + format + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        return written;
    }
}
