package dev.optbench.worker.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One llama-server process for one trial: started from an argv list (never a shell) on a free loopback port
 * with the worker's own {@code --host}, {@code --port}, {@code --model} and {@code --metrics}, its stdout
 * and stderr in the trial's log file, and always stopped by {@link #close()}: SIGTERM, then SIGKILL when it
 * ignores that for the grace period.
 */
public final class LlamaServerProcess implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LlamaServerProcess.class);
    private static final String HOST = "127.0.0.1";
    private static final int CLASSIFY_LINES = 200;
    private static final Duration HEALTH_POLL = Duration.ofMillis(20);

    private final Process process;
    private final List<String> argv;
    private final int port;
    private final Path logFile;
    private final long startedNanos;
    private final ChildPidFiles.Registration registration;
    private final Duration stopGrace;
    private final int tailLines;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean stopRequested;
    private volatile Long loadMillis;

    private LlamaServerProcess(Process process, List<String> argv, int port, Path logFile, long startedNanos,
                               ChildPidFiles.Registration registration, Duration stopGrace, int tailLines) {
        this.process = process;
        this.argv = argv;
        this.port = port;
        this.logFile = logFile;
        this.startedNanos = startedNanos;
        this.registration = registration;
        this.stopGrace = stopGrace;
        this.tailLines = tailLines;
    }

    /** What to start: the binary, the model, the variant's arguments as {@link ServerFlags} made them. */
    public record Launch(Path server, Path model, List<String> arguments, Path logFile, Duration stopGrace, int tailLines) {
    }

    /** The argv a launch gets on a given port; also what replay scripts print. */
    public static List<String> argv(Launch launch, String port) {
        List<String> argv = new ArrayList<>(List.of(launch.server().toString(), "--host", HOST, "--port", port,
                "--model", launch.model().toString(), "--metrics"));
        argv.addAll(launch.arguments());
        return List.copyOf(argv);
    }

    /**
     * Starts the server and waits until {@code /health} answers 200, retrying on another port when the one
     * picked was taken meanwhile.
     *
     * @param cancelled polled while loading; when true the server is stopped and a {@link ServerFailure} thrown
     * @throws ServerFailure when the server exits, does not become healthy within {@code healthTimeout}, or is cancelled
     */
    public static LlamaServerProcess startHealthy(Launch launch, ChildPidFiles pidFiles, Duration healthTimeout,
                                                  BooleanSupplier cancelled) throws IOException {
        for (int attempt = 1; ; attempt++) {
            LlamaServerProcess server = start(launch, pidFiles);
            try {
                server.awaitHealthy(healthTimeout, cancelled);
                return server;
            } catch (ServerFailure e) {
                server.close();
                if (e.kind() != ServerFailure.Kind.PORT_IN_USE || attempt == 3) {
                    throw e;
                }
                LOG.infof("port %d was taken before llama-server bound it; trying another", server.port);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }

    static LlamaServerProcess start(Launch launch, ChildPidFiles pidFiles) throws IOException {
        int port = freePort();
        List<String> argv = argv(launch, String.valueOf(port));
        Files.createDirectories(launch.logFile().toAbsolutePath().getParent());
        ProcessBuilder builder = ChildEnvironment.withoutOurSettings(new ProcessBuilder(argv))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        long started = System.nanoTime();
        Process process = builder.start();
        ChildPidFiles.Registration registration = pidFiles.register(process);
        LOG.debugf("started llama-server pid %d on port %d: %s", process.pid(), port, argv);
        return new LlamaServerProcess(process, argv, port, launch.logFile(), started, registration, launch.stopGrace(), launch.tailLines());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitHealthy(Duration timeout, BooleanSupplier cancelled) {
        long deadline = startedNanos + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(baseUri().resolve("/health")).timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw exitFailure("while loading");
            }
            if (cancelled.getAsBoolean()) {
                throw new ServerFailure(ServerFailure.Kind.CRASHED, "cancelled while llama-server was loading", tail());
            }
            try {
                HttpResponse<Void> response = http.send(health, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    loadMillis = (System.nanoTime() - startedNanos) / 1_000_000;
                    return;
                }
            } catch (ConnectException | java.net.http.HttpConnectTimeoutException notListeningYet) {
                // still loading: the port opens once the model is read
            } catch (IOException e) {
                LOG.debugf("health poll of port %d: %s", port, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerFailure(ServerFailure.Kind.CRASHED, "interrupted while llama-server was loading", tail());
            }
            if (System.nanoTime() > deadline) {
                throw new ServerFailure(ServerFailure.Kind.HUNG, "llama-server did not answer /health with 200 within "
                        + timeout.toSeconds() + " s", tail());
            }
            try {
                Thread.sleep(HEALTH_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerFailure(ServerFailure.Kind.CRASHED, "interrupted while llama-server was loading", tail());
            }
        }
    }

    /** Why the server is gone when it exited without being asked to. */
    public ServerFailure exitFailure(String during) {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int exit = process.isAlive() ? -1 : process.exitValue();
        return ServerFailure.ofExit(exit, LogTail.lines(logFile, CLASSIFY_LINES), tailLines, during);
    }

    public URI baseUri() {
        return URI.create("http://" + HOST + ":" + port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits up to {@code timeout} for the process to exit: a dropped connection often arrives a moment before the
     * exit of the server that dropped it.
     *
     * @return whether it still runs after the wait
     */
    public boolean runningAfter(Duration timeout) {
        try {
            return !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return process.isAlive();
        }
    }

    /** Whether the worker asked the server to stop (a stop is not a crash). */
    public boolean stopRequested() {
        return stopRequested;
    }

    public List<String> argv() {
        return argv;
    }

    public int port() {
        return port;
    }

    /** Process start → first {@code /health} 200, null before the server is healthy. */
    public Long loadMillis() {
        return loadMillis;
    }

    public Path logFile() {
        return logFile;
    }

    public String tail() {
        return LogTail.text(logFile, tailLines);
    }

    /** Stops the server: SIGTERM, then SIGKILL after the grace period; waits until it is gone. */
    @Override
    public void close() {
        stopRequested = true;
        try {
            if (process.isAlive()) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroy();
                if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("llama-server pid %d ignored SIGTERM for %s; killing it", process.pid(), stopGrace);
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            http.shutdownNow();
            if (!process.isAlive()) {
                registration.release();
            }
        }
    }

    /** Kills at once, for a server that hangs or a cancelled trial; {@link #close()} still waits for it. */
    public void kill() {
        stopRequested = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
