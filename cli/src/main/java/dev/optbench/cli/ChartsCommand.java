package dev.optbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Downloads every chart of a run from the viz service as PNG and SVG. */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "Write every chart of a run (PNG and SVG) into a directory.")
public final class ChartsCommand implements Callable<Integer> {
    /** The charts written, each as {@code NAME.png} and {@code NAME.svg}; the end-to-end test checks each file. */
    public static final List<String> CHARTS = List.of("comparison", "rounds", "ablation", "pareto", "summary", "progress", "history");

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--out", required = true, description = "the directory to write into")
    Path out;

    @Option(names = "--dpi", defaultValue = "300", description = "PNG resolution (default: ${DEFAULT-VALUE})")
    int dpi;

    @Option(names = "--target", description = "the progress chart's target line, in tok/s")
    Double target;

    @Override
    public Integer call() {
        Download download = download(ApiClient.fromEnvironment(), runId, out, dpi, target);
        download.written().forEach(System.out::println);
        download.nothingToDraw().forEach(chart -> System.err.println(nothingToDraw(chart)));
        download.throwIfFailed();
        return 0;
    }

    /**
     * What a download wrote, the charts that had no data for this run (the service draws them with the reason) and
     * each file the service failed to draw, with the problem's message.
     */
    record Download(List<Path> written, List<String> nothingToDraw, List<String> failures) {
        void throwIfFailed() {
            if (!failures.isEmpty()) {
                throw new ApiException(failures.size() + " chart file(s) failed:" + System.lineSeparator() + "  "
                        + String.join(System.lineSeparator() + "  ", failures), 0);
            }
        }
    }

    /** The line that reports a chart with no data for the run. */
    public static String nothingToDraw(String chart) {
        return chart + ": nothing to draw for this run; " + chart + ".png and .svg say why";
    }

    /**
     * Writes each chart as PNG and SVG, going on past a chart that fails so that the others are still written;
     * {@link Download#throwIfFailed()} then reports every failure.
     */
    static Download download(ApiClient api, String runId, Path directory, int dpi, Double progressTarget) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        List<String> nothingToDraw = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String chart : CHARTS) {
            String options = chart.equals("progress") && progressTarget != null
                    ? "target=" + String.format(Locale.ROOT, "%.2f", progressTarget) : "";
            String base = "/api/runs/" + runId + "/charts/" + chart;
            try {
                if (api.getViz(base + ".json" + query(options)).path("rows").isEmpty()) {
                    nothingToDraw.add(chart);
                }
            } catch (ApiException e) {
                failures.add(chart + ".json: " + e.getMessage());
            }
            for (String format : List.of("png", "svg")) {
                Path target = directory.resolve(chart + "." + format);
                String query = format.equals("png") ? query(options, "dpi=" + dpi) : query(options);
                try {
                    api.download(base + "." + format + query, target);
                    written.add(target);
                } catch (ApiException e) {
                    failures.add(chart + "." + format + ": " + e.getMessage());
                }
            }
        }
        return new Download(List.copyOf(written), List.copyOf(nothingToDraw), List.copyOf(failures));
    }

    private static String query(String... parameters) {
        List<String> present = new ArrayList<>();
        for (String parameter : parameters) {
            if (!parameter.isEmpty()) {
                present.add(parameter);
            }
        }
        return present.isEmpty() ? "" : "?" + String.join("&", present);
    }
}
