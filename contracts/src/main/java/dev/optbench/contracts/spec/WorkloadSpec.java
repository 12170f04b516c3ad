package dev.optbench.contracts.spec;

import java.util.List;

/**
 * What each trial sends to its llama-server.
 *
 * @param prompts       a shipped prompt set ({@code builtin:assistant-mix}) or null when {@code conversations} is given
 * @param conversations inline conversations; each is a list of user turns
 * @param rounds        how many user turns of each conversation to play (the context grows each round)
 * @param repetitions   how many times the whole workload is repeated
 * @param maxTokens     the completion cap per request
 * @param concurrency   requests in flight at once; each level is played in turn against {@code --parallel N}
 */
public record WorkloadSpec(
        String prompts,
        List<List<TurnSpec>> conversations,
        Integer rounds,
        Integer repetitions,
        Integer maxTokens,
        Double temperature,
        Long seed,
        List<Integer> concurrency) {
}
