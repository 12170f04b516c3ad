package dev.optbench.contracts.messages;

/**
 * One user turn; {@code reference} is the expected answer when the prompt set has one.
 */
public record Turn(String prompt, String reference) {
}
