package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.summary.TrialSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A run as {@code GET /api/runs/{id}} returns it, read for the terminal: progress, the running trial, an ETA
 * and the stored trial summaries.
 */
public record RunView(JsonNode detail) {
    private static final Set<String> FINAL_TRIAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Set<String> FINAL_RUN = Set.of("COMPLETED", "CANCELLED", "FAILED");

    public String id() {
        return detail.path("id").asText();
    }

    public String name() {
        return detail.path("name").asText();
    }

    public String status() {
        return detail.path("status").asText();
    }

    public boolean ended() {
        return FINAL_RUN.contains(status());
    }

    public int trials() {
        return detail.path("trials").size();
    }

    public int trialsFinished() {
        int finished = 0;
        for (JsonNode trial : detail.path("trials")) {
            if (FINAL_TRIAL.contains(trial.path("status").asText())) {
                finished++;
            }
        }
        return finished;
    }

    public int trialsWith(String status) {
        int count = 0;
        for (JsonNode trial : detail.path("trials")) {
            if (status.equals(trial.path("status").asText())) {
                count++;
            }
        }
        return count;
    }

    /** Whether the run still waits for judge scores: every trial ended but the run is not complete yet. */
    public boolean judging() {
        return !ended() && trials() > 0 && trialsFinished() == trials();
    }

    /** "variant · artifact (phase, samples i/n)" for each running trial. */
    public List<String> running() {
        Map<String, String> variants = names(detail.path("variants"), "name");
        Map<String, String> artifacts = names(detail.path("artifacts"), "label");
        List<String> lines = new ArrayList<>();
        for (JsonNode trial : detail.path("trials")) {
            if (!"RUNNING".equals(trial.path("status").asText())) {
                continue;
            }
            StringBuilder line = new StringBuilder(variants.getOrDefault(trial.path("variantId").asText(), "?"))
                    .append(" · ").append(artifacts.getOrDefault(trial.path("artifactId").asText(), "?"));
            String phase = trial.path("phase").asText("");
            if (!phase.isEmpty()) {
                line.append(" (").append(phase.toLowerCase(Locale.ROOT));
                if (trial.hasNonNull("samplesTotal") && trial.path("samplesTotal").asInt() > 0) {
                    line.append(' ').append(trial.path("samplesDone").asInt()).append('/').append(trial.path("samplesTotal").asInt());
                }
                line.append(')');
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Time left, from the pace of the trials done so far; null before the first trial ends. */
    public Duration eta(Instant now) {
        int finished = trialsFinished();
        Instant created = Instant.parse(detail.path("createdAt").asText(now.toString()));
        if (finished == 0 || finished == trials()) {
            return null;
        }
        Duration elapsed = Duration.between(created, now);
        return elapsed.multipliedBy(trials() - finished).dividedBy(finished);
    }

    public List<TrialSummary> summaries() {
        List<TrialSummary> summaries = new ArrayList<>();
        for (JsonNode summary : detail.path("summaries")) {
            summaries.add(Messages.mapper().convertValue(summary, TrialSummary.class));
        }
        return summaries;
    }

    /** Each failed trial as "variant · artifact: reason". */
    public List<String> failures() {
        Map<String, String> variants = names(detail.path("variants"), "name");
        Map<String, String> artifacts = names(detail.path("artifacts"), "label");
        List<String> lines = new ArrayList<>();
        for (JsonNode trial : detail.path("trials")) {
            if ("FAILED".equals(trial.path("status").asText())) {
                lines.add(variants.getOrDefault(trial.path("variantId").asText(), "?") + " · "
                        + artifacts.getOrDefault(trial.path("artifactId").asText(), "?") + ": " + trial.path("reason").asText("no reason given"));
            }
        }
        return lines;
    }

    /** Whether the run's models include the generated tiny model, whose quality scores mean nothing. */
    public boolean usesTinyModel() {
        for (JsonNode artifact : detail.path("artifacts")) {
            if ("synthetic:tiny".equals(artifact.path("modelRef").asText())) {
                return true;
            }
        }
        return false;
    }

    public String progressLine(Instant now) {
        StringBuilder line = new StringBuilder();
        line.append('[').append(trialsFinished()).append('/').append(trials()).append(" trials");
        int failed = trialsWith("FAILED");
        if (failed > 0) {
            line.append(", ").append(failed).append(" failed");
        }
        line.append("] ").append(status().toLowerCase(Locale.ROOT));
        List<String> running = running();
        if (!running.isEmpty()) {
            line.append(": ").append(String.join("; ", running));
        } else if (judging()) {
            line.append(": waiting for judge scores");
        }
        Duration eta = eta(now);
        if (eta != null) {
            line.append(" — ETA ").append(format(eta));
        }
        return line.toString();
    }

    static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds >= 60 ? (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s" : seconds + "s";
    }

    private static Map<String, String> names(JsonNode items, String field) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode item : items) {
            names.put(item.path("id").asText(), item.path(field).asText());
        }
        return names;
    }
}
