package dev.optbench.orchestrator.security;

import dev.optbench.orchestrator.config.OrchestratorConfig;
import dev.optbench.orchestrator.problems.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Mutating requests must carry the configured API key in {@code X-API-Key}; reads are open. The key is compared in
 * constant time and never logged or echoed. Without a configured key every mutating request is refused.
 */
public class ApiKeyFilter {
    public static final String HEADER = "X-API-Key";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Optional<byte[]> key;

    public ApiKeyFilter(OrchestratorConfig config) {
        this.key = config.apiKey().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    @ServerRequestFilter
    public Optional<Response> requireApiKey(ContainerRequestContext request) {
        if (!MUTATING.contains(request.getMethod())) {
            return Optional.empty();
        }
        String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (key.isEmpty()) {
            return Optional.of(new Problem("/problems/api-key", "Unauthorized", 401,
                    "this orchestrator has no API key configured (set OPTBENCH_API_KEY), so it accepts no changes", path, null).toResponse());
        }
        String sent = request.getHeaderString(HEADER);
        if (sent == null || !MessageDigest.isEqual(key.get(), sent.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Problem("/problems/api-key", "Unauthorized", 401,
                    sent == null ? "send the API key in the " + HEADER + " header" : "the " + HEADER + " header does not hold the API key",
                    path, null).toResponse());
        }
        return Optional.empty();
    }
}
