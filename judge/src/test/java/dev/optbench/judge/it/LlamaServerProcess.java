package dev.optbench.judge.it;

import dev.optbench.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real llama-server on the generated tiny model, serving the OpenAI-compatible API as a judge. Started
 * with an argv list, its log in target/, stopped (and killed if need be) by {@link #close()}.
 * {@code --no-jinja}: the tiny model's chat template names ChatML tokens its vocabulary lacks, and with the
 * Jinja path llama-server puts them into the JSON-schema grammar, which then fails to initialise.
 */
public final class LlamaServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private LlamaServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LlamaServerProcess start(int port) {
        Path binary = TestInfrastructure.llamaBinDir().resolve("llama-server");
        Path log = Path.of("target", "llama-server-judge-" + port + ".log").toAbsolutePath();
        List<String> argv = List.of(binary.toString(), "-m", TestInfrastructure.tinyModel().toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "-t", "1", "-c", "2048", "-np", "1", "--no-jinja");
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        LlamaServerProcess server = new LlamaServerProcess(process, port, log);
        // Also when the test JVM is stopped before close() runs.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-llama-server-" + port));
        try {
            server.awaitHealthy(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public long pid() {
        return process.pid();
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("llama-server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for llama-server", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for llama-server", e);
            }
        }
        throw new IllegalStateException("llama-server not healthy within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
