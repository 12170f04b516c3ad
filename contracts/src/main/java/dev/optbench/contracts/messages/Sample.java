package dev.optbench.contracts.messages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One request inside a trial: round {@code round} of conversation {@code conversationId}, repetition
 * {@code repetition}, played at concurrency level {@code concurrency}. Times are measured by the worker
 * from the stream; the {@code server*} figures are llama-server's own {@code timings}.
 *
 * @param ttftMillis               request sent → first streamed token
 * @param latencyMillis            request sent → last byte of the stream
 * @param interTokenMillisMean     mean gap between streamed tokens after the first
 * @param generationTokensPerSecond the completion tokens after the first ÷ the worker's measured time from the first
 *                                  streamed token to the last (the first token belongs to prompt processing; llama-server's
 *                                  {@code predicted_per_second} counts the same way)
 */
public record Sample(
        UUID sampleId,
        String conversationId,
        int round,
        int repetition,
        int concurrency,
        Instant startedAt,
        int promptTokens,
        int completionTokens,
        int cachedTokens,
        double ttftMillis,
        double latencyMillis,
        Double interTokenMillisMean,
        Double interTokenMillisP95,
        Double generationTokensPerSecond,
        Double serverPromptMillis,
        Double serverPromptTokensPerSecond,
        Double serverGenerationMillis,
        Double serverGenerationTokensPerSecond,
        Integer draftTokens,
        Integer draftAcceptedTokens,
        String finishReason,
        String prompt,
        String answer,
        String error) {

    /** The stable id of a sample: the same request of the same trial always gets the same id. */
    public static UUID idOf(UUID trialId, int concurrency, int repetition, String conversationId, int round) {
        String key = trialId + "/" + concurrency + "/" + repetition + "/" + conversationId + "/" + round;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }
}
