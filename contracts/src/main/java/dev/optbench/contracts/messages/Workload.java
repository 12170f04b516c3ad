package dev.optbench.contracts.messages;

import java.util.List;

/**
 * A trial's resolved workload: the prompts themselves, not a reference to a prompt set.
 */
public record Workload(
        List<Conversation> conversations,
        int repetitions,
        int maxTokens,
        double temperature,
        long seed,
        List<Integer> concurrency) {

    /** Requests one trial sends, warm-up excluded. */
    public int sampleCount() {
        int turns = conversations.stream().mapToInt(c -> c.turns().size()).sum();
        return turns * repetitions * concurrency.size();
    }
}
