package dev.optbench.worker.workload;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * llama-server's own {@code timings} of one request, as the last chunk of the stream carries them.
 */
public record ServerTimings(Integer cacheN, Integer promptN, Double promptMillis, Double promptPerSecond,
                            Integer predictedN, Double predictedMillis, Double predictedPerSecond,
                            Integer draftN, Integer draftAcceptedN) {

    public static ServerTimings of(JsonNode timings) {
        return new ServerTimings(integer(timings, "cache_n"), integer(timings, "prompt_n"), number(timings, "prompt_ms"),
                number(timings, "prompt_per_second"), integer(timings, "predicted_n"), number(timings, "predicted_ms"),
                number(timings, "predicted_per_second"), integer(timings, "draft_n"), integer(timings, "draft_n_accepted"));
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asInt();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asDouble();
    }
}
