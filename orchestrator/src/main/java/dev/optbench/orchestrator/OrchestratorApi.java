package dev.optbench.orchestrator;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI description of the orchestrator's API, with the API key that mutating requests send. */
@OpenAPIDefinition(
        info = @Info(title = "OptBench orchestrator API", version = "0.1",
                description = "Submit runs of llama.cpp configurations, follow their trials, read, compare and export the results."),
        tags = {
                @Tag(name = "runs", description = "Submit, cancel, read and export runs"),
                @Tag(name = "catalogue", description = "What a run spec may use: flags, prompt sets, workers")
        },
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = OrchestratorApi.API_KEY,
                type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key",
                description = "The orchestrator's API key (OPTBENCH_API_KEY); ./optbench up prints it")))
public class OrchestratorApi extends Application {
    public static final String API_KEY = "apiKey";
}
