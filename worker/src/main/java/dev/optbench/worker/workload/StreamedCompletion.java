package dev.optbench.worker.workload;

import java.util.List;

/**
 * One streamed chat completion as the worker saw it. Instants are {@link System#nanoTime()} values.
 *
 * @param sentNanos        just before the request was written
 * @param tokenNanos       when each chunk with generated text arrived
 * @param endNanos         when the stream ended ({@code [DONE]} or end of body)
 * @param completionTokens {@code usage.completion_tokens}, or the server's {@code predicted_n} without usage
 * @param error            why the request failed, null when it succeeded
 */
public record StreamedCompletion(long sentNanos, List<Long> tokenNanos, long endNanos, String answer, String finishReason,
                                 Integer promptTokens, Integer completionTokens, Integer cachedTokens,
                                 ServerTimings timings, String error) {

    public Long firstTokenNanos() {
        return tokenNanos.isEmpty() ? null : tokenNanos.getFirst();
    }

    public Long lastTokenNanos() {
        return tokenNanos.isEmpty() ? null : tokenNanos.getLast();
    }
}
