package dev.optbench.orchestrator.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose declared Content-Length exceeds {@code quarkus.http.limits.max-body-size} gets a 413 with a problem
 * body; Quarkus's own check, one route later, answers with an empty body. An HTTP/1 connection is closed, as Quarkus
 * does, so the unread body is not parsed as the next request.
 */
@ApplicationScoped
public class BodyTooLarge {
    private final long limitBytes;
    private final ObjectMapper json;

    public BodyTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit,
                        ObjectMapper json) {
        this.limitBytes = limit.asLongValue();
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext request) {
        String length = request.request().getHeader("Content-Length");
        if (length == null || !length.matches("\\d{1,18}") || Long.parseLong(length) <= limitBytes) {
            request.next();
            return;
        }
        Problem problem = new Problem("/problems/body-too-large", "Request Entity Too Large", 413,
                "the body has " + length + " bytes; at most " + limitBytes + " are accepted", request.request().path(), null);
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem body", e);
        }
        var response = request.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (request.request().version() != HttpVersion.HTTP_2) {
            // HTTP/2 has no Connection header; ending the response resets just the stream there.
            response.putHeader("Connection", "close").endHandler(ended -> request.request().connection().close());
        }
        response.end(body);
    }
}
