package dev.optbench.judge.models;

import dev.optbench.judge.verdicts.JudgePrompt;

/**
 * A judge model behind one endpoint.
 */
public interface JudgeModel {

    JudgeEndpoint endpoint();

    /**
     * Asks the judge and returns its reply text verbatim, constrained to the prompt's schema where the
     * endpoint supports structured output.
     *
     * @param rejected the previous reply and why it could not be read, or null on the first attempt
     * @throws JudgeUnavailableException when the endpoint did not answer (down, timed out, overloaded)
     * @throws JudgeRejectedException    when the endpoint answered with a refusal that asking again won't change
     */
    String reply(JudgePrompt prompt, RejectedReply rejected);
}
