package dev.optbench.worker.artifacts;

import dev.optbench.worker.server.Cancellation;
import dev.optbench.worker.server.ChildPidFiles;
import dev.optbench.worker.server.LogTail;
import dev.optbench.worker.server.ToolProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs the real {@code llama-quantize} from the worker's llama.cpp build.
 */
public final class Quantizer {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_]{2,16}");
    private final Path binary;
    private final Duration timeout;
    private final ChildPidFiles pidFiles;

    public Quantizer(Path binary, Duration timeout, ChildPidFiles pidFiles) {
        this.binary = binary;
        this.timeout = timeout;
        this.pidFiles = pidFiles;
    }

    /**
     * Writes {@code target} as {@code type} from {@code source}; the tool's output goes to {@code log}.
     *
     * @throws ArtifactException when llama-quantize fails, with the line of its output that says why
     */
    public void quantize(Path source, Path target, String type, Path log, Cancellation cancellation) throws IOException {
        if (!TYPE.matcher(type).matches()) {
            throw new ArtifactException("'" + type + "' is not a llama-quantize type name");
        }
        List<String> argv = List.of(binary.toString(), source.toString(), target.toString(), type,
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        ToolProcess.Result result = ToolProcess.run(argv, log, timeout, pidFiles, cancellation);
        if (result.cancelled()) {
            throw new ArtifactException("quantizing to " + type + " was cancelled: " + cancellation.reason());
        }
        if (result.timedOut()) {
            throw new ArtifactException("llama-quantize to " + type + " did not finish within " + timeout.toMinutes() + " min");
        }
        if (!result.succeeded()) {
            String why = LogTail.errorLine(LogTail.lines(log, 40));
            throw new ArtifactException("llama-quantize to " + type + " failed with status " + result.exitCode()
                    + (why == null ? "" : ": " + why));
        }
    }
}
