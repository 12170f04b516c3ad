package dev.optbench.contracts.messages;

import java.util.List;

/**
 * A conversation of one or more user turns; round r sends turns 0..r with the answers in between.
 */
public record Conversation(String conversationId, List<Turn> turns) {
}
