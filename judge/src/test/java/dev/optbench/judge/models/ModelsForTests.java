package dev.optbench.judge.models;

import java.time.Duration;

/** Judge models built the way the service builds them, with test-sized timeouts. */
final class ModelsForTests {
    static final ModelSettings SETTINGS = new ModelSettings(Duration.ofSeconds(20), Duration.ofSeconds(2), 512, 0.0, 42);

    private ModelsForTests() {
    }

    static ConfiguredJudgeModels judge(String provider, String baseUrl, String model) {
        return new ConfiguredJudgeModels(provider, baseUrl, model, null, SETTINGS);
    }
}
