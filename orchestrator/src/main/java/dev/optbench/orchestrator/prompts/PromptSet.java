package dev.optbench.orchestrator.prompts;

import dev.optbench.contracts.messages.Conversation;
import java.util.List;

/**
 * A shipped set of conversations, named in a run spec as {@code builtin:<name>}. A single-turn set is a list of
 * one-turn conversations; {@code Turn.reference} holds the expected answer where the set has one.
 */
public record PromptSet(String name, String description, List<Conversation> conversations) {

    public String ref() {
        return PromptSetCatalogue.BUILTIN_PREFIX + name;
    }

    public int turns() {
        return conversations.stream().mapToInt(c -> c.turns().size()).sum();
    }

    public int maxTurns() {
        return conversations.stream().mapToInt(c -> c.turns().size()).max().orElse(0);
    }

    public boolean hasReferences() {
        return conversations.stream().flatMap(c -> c.turns().stream()).anyMatch(t -> t.reference() != null);
    }
}
