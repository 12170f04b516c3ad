package dev.optbench.viz.rest;

import dev.optbench.viz.charts.ChartNotFoundException;
import dev.optbench.viz.dashboard.DashboardResource;
import dev.optbench.viz.charts.ChartRequestException;
import dev.optbench.viz.runs.RunNotFoundException;
import dev.optbench.viz.runs.StoredDataException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Each failure kind, mapped once: RFC 7807 problem bodies for the API, a short page for the dashboard.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public Response runNotFound(RunNotFoundException e, UriInfo uri) {
        return problem(uri, Response.Status.NOT_FOUND, "Run not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response chartNotFound(ChartNotFoundException e, UriInfo uri) {
        return problem(uri, Response.Status.NOT_FOUND, "Chart not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response badChartRequest(ChartRequestException e, UriInfo uri) {
        return problem(uri, Response.Status.BAD_REQUEST, "Bad chart request", e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response storedData(StoredDataException e, UriInfo uri) {
        LOG.errorf(e, "reading stored runs failed for %s", uri.getPath());
        return problem(uri, Response.Status.INTERNAL_SERVER_ERROR, "Stored runs unreadable", e.getMessage(), null);
    }

    private static Response problem(UriInfo uri, Response.Status status, String title, String detail, String field) {
        String path = uri.getPath().startsWith("/") ? uri.getPath() : "/" + uri.getPath();
        if (!path.startsWith("/api/")) {
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                    .entity(DashboardResource.Templates.error(status.getStatusCode(), title, detail).render()).build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.getStatusCode());
        body.put("detail", detail);
        body.put("instance", path);
        if (field != null) {
            body.put("field", field);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
