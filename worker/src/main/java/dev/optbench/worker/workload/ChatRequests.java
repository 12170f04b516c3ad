package dev.optbench.worker.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.optbench.contracts.messages.Workload;
import java.util.List;

/**
 * The one place that writes a request body: the workload runner sends it and replay scripts print it, so
 * both always agree.
 */
public final class ChatRequests {
    public static final String PATH = "/v1/chat/completions";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatRequests() {
    }

    /** One message of a conversation's history. */
    public record Message(String role, String content) {
    }

    /** A streaming chat completion; {@code include_usage} makes llama-server end the stream with usage and timings. */
    public static String body(List<Message> messages, Workload workload) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode list = body.putArray("messages");
        for (Message message : messages) {
            list.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", workload.maxTokens());
        body.put("temperature", workload.temperature());
        body.put("seed", workload.seed());
        return body.toString();
    }
}
