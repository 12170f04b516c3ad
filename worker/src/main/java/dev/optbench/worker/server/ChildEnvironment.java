package dev.optbench.worker.server;

/**
 * The environment the worker's llama.cpp processes start with: the worker's own, less every {@code OPTBENCH_*}
 * variable. The launcher and Compose hand each service its settings, the API key and the database password among them,
 * through the environment; llama.cpp reads none of them, and a process that runs user-chosen flags should not hold them.
 */
public final class ChildEnvironment {
    private static final String OURS = "OPTBENCH_";

    private ChildEnvironment() {
    }

    public static ProcessBuilder withoutOurSettings(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(name -> name.startsWith(OURS));
        return builder;
    }
}
