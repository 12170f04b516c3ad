package dev.optbench.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The suite's own stack, driven through the launcher as a user would: state in {@code .optbench/reliability},
 * service ports +20000, Kafka 49092, PostgreSQL 45432. Parts are stopped, killed and started one at a time with
 * {@code ./optbench stop|start PART} and signals to the pids the launcher recorded, never by name.
 */
final class Stack {
    static final Path ROOT = Path.of(System.getProperty("optbench.root", "..")).toAbsolutePath().normalize();
    static final Path HOME = ROOT.resolve(".optbench/reliability");
    static final Path OUT = ROOT.resolve("reliability/target/reliability");
    static final int PORT_OFFSET = 20000;
    static final int KAFKA_PORT = 49092;
    static final int PG_PORT = 45432;
    private static final Path LOG = OUT.resolve("stack.log");
    private static final Pattern PG_PID = Pattern.compile("(?m)^postgres\\s+up\\s+pid (\\d+)");

    private Stack() {
    }

    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("OPTBENCH_HOME", HOME.toString());
        env.put("OPTBENCH_PORT_OFFSET", Integer.toString(PORT_OFFSET));
        env.put("OPTBENCH_KAFKA_PORT", Integer.toString(KAFKA_PORT));
        env.put("OPTBENCH_KAFKA_CONTROLLER_PORT", Integer.toString(KAFKA_PORT + 1));
        env.put("OPTBENCH_PG_PORT", Integer.toString(PG_PORT));
        // The test run's own settings must not leak into the stack under test.
        for (String inherited : List.of("OPTBENCH_KAFKA_BOOTSTRAP", "OPTBENCH_DB_URL", "OPTBENCH_DB_PASSWORD", "OPTBENCH_API_KEY",
                "OPTBENCH_MODELS_DIR", "OPTBENCH_WORK_DIR", "OPTBENCH_PG_FSYNC", "OPTBENCH_JUDGE_BASE_URL", "OPTBENCH_JUDGE_LLM_STARTED")) {
            env.put(inherited, null);
        }
        return env;
    }

    /** Runs {@code ./optbench ARGS} against this stack; its output goes to target/reliability/stack.log. */
    static int optbench(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("optbench").toString());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(OUT);
            Files.writeString(LOG, "\n$ ./optbench " + String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
            environment().forEach((key, value) -> {
                if (value == null) {
                    builder.environment().remove(key);
                } else {
                    builder.environment().put(key, value);
                }
            });
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("./optbench " + String.join(" ", args) + " took longer than " + timeout + "; see " + LOG);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ./optbench", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void require(Duration timeout, String... args) {
        int exit = optbench(timeout, args);
        if (exit != 0) {
            throw new AssertionError("./optbench " + String.join(" ", args) + " exited with " + exit + ":\n" + tail(LOG, 30));
        }
    }

    static void up(int workers) {
        require(Duration.ofMinutes(20), "up", "--workers", Integer.toString(workers));
    }

    static void down() {
        optbench(Duration.ofMinutes(3), "down", "--wipe");
    }

    static void stop(String part) {
        require(Duration.ofMinutes(2), "stop", part);
    }

    static void start(String part) {
        require(Duration.ofMinutes(3), "start", part);
    }

    static String url(String service) {
        int port = switch (service) {
            case "orchestrator" -> 8080;
            case "worker" -> 8081;
            case "judge" -> 8082;
            case "viz-service" -> 8083;
            default -> {
                Matcher instance = Pattern.compile("worker-(\\d+)").matcher(service);
                if (!instance.matches()) {
                    throw new IllegalArgumentException(service);
                }
                yield 8089 + Integer.parseInt(instance.group(1));
            }
        };
        return "http://127.0.0.1:" + (port + PORT_OFFSET);
    }

    static String kafkaBootstrap() {
        return "127.0.0.1:" + KAFKA_PORT;
    }

    static Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        try {
            for (String line : Files.readAllLines(HOME.resolve("config.env"))) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    config.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("no " + HOME.resolve("config.env") + "; is the stack up?", e);
        }
        return config;
    }

    static String apiKey() {
        return config().get("OPTBENCH_API_KEY");
    }

    static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PG_PORT + "/optbench", "optbench",
                config().get("OPTBENCH_DB_PASSWORD"));
    }

    /** The pid the launcher recorded for a part (kafka, judge-llm, orchestrator, worker-2, ...), if it runs. */
    static Optional<Long> pid(String part) {
        Path file = switch (part) {
            case "kafka" -> HOME.resolve("kafka/kafka.pid");
            default -> HOME.resolve("pids/" + part + ".pid");
        };
        if (part.equals("postgres")) {
            Matcher matcher = PG_PID.matcher(status());
            return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static long requirePid(String part) {
        return pid(part).orElseThrow(() -> new AssertionError(part + " of the reliability stack does not run"));
    }

    static String status() {
        try {
            Path out = Files.createTempFile(OUT, "status", ".txt");
            List<String> command = List.of(ROOT.resolve("optbench").toString(), "status");
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            environment().forEach((key, value) -> {
                if (value == null) {
                    builder.environment().remove(key);
                } else {
                    builder.environment().put(key, value);
                }
            });
            builder.start().waitFor(60, TimeUnit.SECONDS);
            String text = Files.readString(out);
            Files.delete(out);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a machine or process loss would: no shutdown hook runs. */
    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Sends a signal by name (STOP, CONT) with kill(1): STOP freezes a process as a stalled machine would. */
    static void signal(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed: " + new String(kill.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The worker instances the launcher recorded as running: worker, worker-2, ... */
    static List<String> workers() {
        List<String> workers = new ArrayList<>();
        try (Stream<Path> files = Files.list(HOME.resolve("pids"))) {
            files.map(f -> f.getFileName().toString().replace(".pid", "")).filter(n -> n.matches("worker(-\\d+)?")).sorted()
                    .forEach(name -> pid(name).ifPresent(p -> workers.add(name)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return workers;
    }

    /** The llama-server processes this stack's workers started (not the judge model's). */
    static List<ProcessHandle> trialServers() {
        List<ProcessHandle> servers = new ArrayList<>();
        for (String worker : workers()) {
            pid(worker).flatMap(ProcessHandle::of).ifPresent(handle -> handle.children()
                    .filter(child -> child.info().command().orElse("").endsWith("llama-server")).forEach(servers::add));
        }
        return servers;
    }

    /** Every llama-server process on this machine whose command line names this stack's state directory. */
    static List<String> llamaServersOfThisStack() {
        List<String> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String commandLine = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
                    if (commandLine.contains("llama-server") && commandLine.contains(HOME.toString())) {
                        found.add(commandLine);
                    }
                } catch (IOException ended) {
                    // the process went away while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
