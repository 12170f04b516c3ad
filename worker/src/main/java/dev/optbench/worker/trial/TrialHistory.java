package dev.optbench.worker.trial;

import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.TrialFinished;
import dev.optbench.contracts.messages.TrialJob;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jboss.logging.Logger;

/**
 * The trials this worker ran recently, and a {@code replay.sh} beside each trial's log.
 */
@ApplicationScoped
public class TrialHistory {
    private static final Logger LOG = Logger.getLogger(TrialHistory.class);
    private static final int KEEP = 100;

    private final Deque<Entry> entries = new ConcurrentLinkedDeque<>();

    /** One trial as it ran here. */
    public record Entry(TrialJob job, TrialFinished finished, Path dir) {
    }

    /** Remembers a trial and writes its replay script; never throws, a trial's results matter more. */
    public void record(TrialJob job, TrialOutcome outcome, Path dir) {
        entries.addFirst(new Entry(job, outcome.finished(), dir));
        while (entries.size() > KEEP) {
            entries.removeLast();
        }
        if (outcome.finished().argv() == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("replay.sh");
            Files.writeString(script, TrialScript.render(job, outcome.finished().argv(), answers(outcome.samples())), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("no replay script for trial %s: %s", job.trialId(), e.getMessage());
        }
    }

    public List<Entry> recent() {
        return List.copyOf(entries);
    }

    public Optional<Entry> find(UUID trialId) {
        return entries.stream().filter(e -> e.job().trialId().equals(trialId)).findFirst();
    }

    /** The answers of the first repetition at the first concurrency level, by conversation and round. */
    static Map<String, List<String>> answers(List<Sample> samples) {
        if (samples.isEmpty()) {
            return Map.of();
        }
        int level = samples.getFirst().concurrency();
        Map<String, Map<Integer, String>> byRound = new HashMap<>();
        samples.stream().filter(s -> s.concurrency() == level && s.repetition() == 0 && s.error() == null)
                .forEach(s -> byRound.computeIfAbsent(s.conversationId(), c -> new HashMap<>()).put(s.round(), s.answer()));
        Map<String, List<String>> answers = new LinkedHashMap<>();
        byRound.forEach((conversation, rounds) -> {
            List<String> list = new ArrayList<>();
            for (int round = 0; rounds.containsKey(round); round++) {
                list.add(rounds.get(round));
            }
            answers.put(conversation, list);
        });
        return answers;
    }
}
