package dev.optbench.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The suite's figures as tab-separated files under reliability/target/reliability, which reliability/run.sh prints
 * as tables: one row per scenario, the bad-input tally, the load figures.
 */
final class Report {
    static final Path SCENARIOS = Stack.OUT.resolve("scenarios.tsv");
    static final Path BAD_INPUT = Stack.OUT.resolve("bad-input.tsv");
    static final Path LOAD = Stack.OUT.resolve("load.tsv");
    static final Path WORKER_KILLS = Stack.OUT.resolve("worker-kills.txt");

    private Report() {
    }

    static void reset() throws IOException {
        Files.createDirectories(Stack.OUT);
        Files.writeString(SCENARIOS, "scenario\truns\ttrials\tsamples expected\tstored\tlost\tduplicated\tfailed (with reason)\ttime to recover (s)\n");
        Files.deleteIfExists(BAD_INPUT);
        Files.deleteIfExists(LOAD);
        Files.deleteIfExists(WORKER_KILLS);
    }

    static void scenario(String name, Ledger ledger, Duration recovery) {
        append(SCENARIOS, String.join("\t", name, Integer.toString(ledger.runs()), Integer.toString(ledger.trials()),
                Long.toString(ledger.expected()), Long.toString(ledger.stored()), Long.toString(ledger.lost()),
                Long.toString(ledger.duplicated()), Integer.toString(ledger.failed()),
                recovery == null ? "-" : String.format(Locale.ROOT, "%.1f", recovery.toMillis() / 1000.0)) + "\n");
    }

    static void badInput(int tried, int clientErrors, int serverErrors, long stored, int processesStarted) {
        write(BAD_INPUT, "tried\t4xx\t5xx\tstored\tprocesses started\n" + tried + "\t" + clientErrors + "\t" + serverErrors + "\t" + stored
                + "\t" + processesStarted + "\n");
    }

    /** What deploy/local/scaling-test.sh printed: the trials' spread over the workers, the kill and its checks. */
    static void workerKill(String output) {
        append(WORKER_KILLS, output + "\n\n");
    }

    static void load(String figures) {
        write(LOAD, figures);
    }

    private static void append(Path file, String line) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
