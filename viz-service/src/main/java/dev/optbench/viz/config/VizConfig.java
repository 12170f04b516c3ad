package dev.optbench.viz.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The viz service's settings, under {@code optbench.viz}.
 */
@ConfigMapping(prefix = "optbench.viz")
public interface VizConfig {

    /** PNG resolution when a request names none; 300 is print quality. */
    @WithDefault("150")
    int defaultDpi();

    /** The lowest resolution a request may ask for. */
    @WithDefault("36")
    int minDpi();

    /** The highest resolution a request may ask for; a 600 dpi chart is already a poster. */
    @WithDefault("600")
    int maxDpi();

    /** Legend entries drawn before the rest are summed up as "and N more": filter with variants= to choose. */
    @WithDefault("24")
    int legendMaxEntries();

    /** How often the run page asks for news while a run is in progress. */
    @WithDefault("3")
    int refreshSeconds();

    /** Runs per page of the run list. */
    @WithDefault("50")
    int runsPageSize();
}
