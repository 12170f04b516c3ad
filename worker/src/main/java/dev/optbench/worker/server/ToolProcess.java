package dev.optbench.worker.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of llama.cpp's command-line tools (llama-quantize, llama-perplexity) to completion: argv list,
 * output appended to a log, a timeout, killed on cancellation, never left running.
 */
public final class ToolProcess {
    private ToolProcess() {
    }

    /** The outcome: the exit status, or why the tool was stopped. */
    public record Result(int exitCode, boolean timedOut, boolean cancelled) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut && !cancelled;
        }
    }

    public static Result run(List<String> argv, Path log, Duration timeout, ChildPidFiles pidFiles, Cancellation cancellation)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "$ " + String.join(" ", argv) + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = ChildEnvironment.withoutOurSettings(new ProcessBuilder(argv)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        ChildPidFiles.Registration registration = pidFiles.register(process);
        try (Cancellation.Registration stop = cancellation.onCancel(process::destroyForcibly)) {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor();
                return new Result(-1, true, cancellation.isCancelled());
            }
            return new Result(process.exitValue(), false, cancellation.isCancelled());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, false, true);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.onExit().join();
            }
            registration.release();
        }
    }
}
