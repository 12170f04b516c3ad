package dev.optbench.judge.models;

/**
 * A reply that could not be read, shown back to the judge with the problem when it is asked once more.
 */
public record RejectedReply(String reply, String problem) {
}
