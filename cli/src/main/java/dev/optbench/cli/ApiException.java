package dev.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.optbench.contracts.messages.Messages;

/**
 * An API error as the user should read it: the RFC 7807 problem's title and detail, and each invalid field.
 */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException fromProblem(String what, int status, String body) {
        StringBuilder message = new StringBuilder();
        try {
            JsonNode problem = Messages.mapper().readTree(body);
            String title = problem.path("title").asText("");
            String detail = problem.path("detail").asText("");
            message.append(title.isEmpty() ? "HTTP " + status : title);
            if (!detail.isEmpty() && !detail.equals(title)) {
                message.append(": ").append(detail);
            }
            JsonNode errors = problem.has("errors") ? problem.get("errors") : problem.path("violations");
            for (JsonNode error : errors) {
                String field = error.path("field").asText(error.path("pointer").asText(""));
                message.append(System.lineSeparator()).append("  ").append(field.isEmpty() ? "" : field + ": ")
                        .append(error.path("message").asText(error.path("detail").asText(error.toString())));
            }
        } catch (Exception notAProblem) {
            message.append("HTTP ").append(status).append(" from ").append(what);
            if (body != null && !body.isBlank()) {
                message.append(": ").append(body, 0, Math.min(300, body.length()));
            }
        }
        return new ApiException(message.toString(), status);
    }
}
