package dev.optbench.judge.verdicts;

/**
 * A judge reply read as a verdict: either the value, or the problem that kept it from being read.
 */
public record ParsedReply<T>(T value, String problem) {

    public static <T> ParsedReply<T> of(T value) {
        return new ParsedReply<>(value, null);
    }

    public static <T> ParsedReply<T> unreadable(String problem) {
        return new ParsedReply<>(null, problem);
    }

    public boolean readable() {
        return value != null;
    }
}
