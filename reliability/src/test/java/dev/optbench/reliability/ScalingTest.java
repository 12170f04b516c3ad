package dev.optbench.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/local/scaling-test.sh against the suite's stack: it kills the worker of a trial in progress (the JVM and
 * its llama-server, SIGKILL) and checks that another worker redid the trial and that one set of its samples is
 * stored. The suite reads its output as it comes, for the run, the killed instance and the moment of the kill.
 */
record ScalingTest(int exit, String output, UUID runId, String killedInstance, UUID victimTrial, Duration recovery) {
    private static final Pattern RUN = Pattern.compile("optbench: run ([0-9a-f-]{36}):");
    private static final Pattern KILLING = Pattern.compile("optbench: killing (worker(?:-\\d+)?) \\(pid .* during trial ([0-9a-f-]{36})");

    static ScalingTest run() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Stack.ROOT.resolve("deploy/local/scaling-test.sh").toString())
                .directory(Stack.ROOT.toFile()).redirectErrorStream(true);
        Stack.environment().forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        builder.environment().put("OPTBENCH_SCALING_TIMEOUT", "600");
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        UUID runId = null;
        UUID victim = null;
        String instance = null;
        Instant killed = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Matcher run = RUN.matcher(line);
                if (run.find()) {
                    runId = UUID.fromString(run.group(1));
                }
                Matcher killing = KILLING.matcher(line);
                if (killing.find()) {
                    killed = Instant.now();
                    instance = killing.group(1);
                    victim = UUID.fromString(killing.group(2));
                }
            }
        }
        if (!process.waitFor(11, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String output = String.join("\n", lines);
        if (runId == null || victim == null) {
            throw new AssertionError("scaling-test.sh did not submit a run and kill a worker:\n" + output);
        }
        return new ScalingTest(process.exitValue(), output, runId, instance, victim, Duration.between(killed, finishedAt(victim)));
    }

    private static Instant finishedAt(UUID trial) {
        try (var db = Stack.database(); PreparedStatement select = db.prepareStatement("SELECT finished_at FROM trial WHERE id = ?")) {
            select.setObject(1, trial);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1) == null ? Instant.now() : rs.getTimestamp(1).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
