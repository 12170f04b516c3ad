package dev.optbench.orchestrator.searches;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The search driver's settings ({@code optbench.searches.*}). */
@ConfigMapping(prefix = "optbench.searches")
public interface SearchSettings {
    /** How often open searches are checked for a finished round (the scheduler reads the same key). */
    @WithDefault("2s")
    Duration pollInterval();

    /** How long a round waits for its judge scores before it goes on and counts the missing verdicts as unmet. */
    @WithDefault("30m")
    Duration judgeTimeout();
}
