package dev.optbench.orchestrator.searches.rest;

import dev.optbench.orchestrator.problems.Problem;
import dev.optbench.orchestrator.searches.SearchAlreadyFinishedException;
import dev.optbench.orchestrator.searches.SearchNotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The searches' own failures as RFC 7807 problem responses. */
public class SearchProblems {

    @ServerExceptionMapper
    public Response notFound(SearchNotFoundException e, UriInfo uri) {
        return new Problem("/problems/search-not-found", "Search not found", 404, e.getMessage(), uri.getPath(), null).toResponse();
    }

    @ServerExceptionMapper
    public Response finished(SearchAlreadyFinishedException e, UriInfo uri) {
        return new Problem("/problems/search-finished", "Search already finished", 409, e.getMessage(), uri.getPath(), null).toResponse();
    }
}
