package dev.optbench.orchestrator.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.optbench.orchestrator.runs.spec.FieldErrors;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 7807 problem body, sent as {@code application/problem+json}. {@code errors} names each bad field with a
 * path like {@code variants[1].flags.--port} and what is wrong with it.
 */
@Schema(name = "Problem", description = "RFC 7807 problem details")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldErrors.FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
    }
}
