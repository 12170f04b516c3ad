package dev.optbench.orchestrator.support;

import dev.optbench.orchestrator.config.OrchestratorConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The orchestrator's configuration with its documented defaults, for unit tests without Quarkus. */
public final class TestConfig {
    private TestConfig() {
    }

    public static OrchestratorConfig defaults() {
        return new SmallRyeConfigBuilder().withMapping(OrchestratorConfig.class).build().getConfigMapping(OrchestratorConfig.class);
    }
}
