package dev.optbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a run's flat rows as CSV or JSON. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a run as CSV or JSON: one row per sample, or per trial.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--level", defaultValue = "sample", description = "sample or trial (default: ${DEFAULT-VALUE})")
    String level;

    @Option(names = "--out", description = "a file to write; standard output when absent")
    Path out;

    @Override
    public Integer call() {
        String text = export(ApiClient.fromEnvironment(), runId, format, level);
        if (out == null) {
            System.out.print(text);
        } else {
            write(out, text);
            System.err.println("wrote " + out);
        }
        return 0;
    }

    static String export(ApiClient api, String runId, String format, String level) {
        return api.getText("/api/runs/" + runId + "/export?format=" + ApiClient.encode(format) + "&level=" + ApiClient.encode(level));
    }

    static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
