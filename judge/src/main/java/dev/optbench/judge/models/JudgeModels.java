package dev.optbench.judge.models;

import dev.optbench.contracts.spec.JudgeModelSpec;

/**
 * Finds the judge model for a request: the run's own, or the service's default.
 */
public interface JudgeModels {

    /**
     * @param spec the run's judge, or null for the default
     * @throws JudgeRejectedException when the spec names no usable judge
     */
    JudgeModel forRun(JudgeModelSpec spec);

    JudgeEndpoint defaultEndpoint();
}
