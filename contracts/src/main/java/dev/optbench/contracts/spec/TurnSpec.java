package dev.optbench.contracts.spec;

/**
 * One user turn of a conversation, with the expected answer when the prompt set has one.
 */
public record TurnSpec(String prompt, String reference) {
}
