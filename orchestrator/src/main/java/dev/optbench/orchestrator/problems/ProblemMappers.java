package dev.optbench.orchestrator.problems;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place that turns the orchestrator's exceptions into RFC 7807 problem responses. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidFields(InvalidFieldsException e, UriInfo uri) {
        String fields = e.errors().stream()
                .map(error -> (error.field().isEmpty() ? "the body" : error.field()) + " " + error.message())
                .collect(Collectors.joining("; "));
        LOG.debugf("400 on %s: %s", uri.getPath(), fields);
        return new Problem("/problems/invalid-fields", e.getMessage(), 400, fields, uri.getPath(), e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(RunNotFoundException e, UriInfo uri) {
        return new Problem("/problems/run-not-found", "Run not found", 404, e.getMessage(), uri.getPath(), null).toResponse();
    }

    @ServerExceptionMapper
    public Response finished(RunAlreadyFinishedException e, UriInfo uri) {
        return new Problem("/problems/run-finished", "Run already finished", 409, e.getMessage(), uri.getPath(), null).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        return new Problem("about:blank", title, status, e.getMessage(), uri.getPath(), null).toResponse();
    }

    /** Anything else is the orchestrator's fault: the body carries an error id, the log the details. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "error %s on %s", errorId, uri.getPath());
        return new Problem("/problems/internal-error", "Internal Server Error", 500,
                "the orchestrator failed; its log holds error " + errorId, uri.getPath(), null).toResponse();
    }
}
