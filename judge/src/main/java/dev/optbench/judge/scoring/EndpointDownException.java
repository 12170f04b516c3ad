package dev.optbench.judge.scoring;

import dev.optbench.judge.models.JudgeEndpoint;

/**
 * The request's judge endpoint does not answer and waits before it is asked again: the request is set aside,
 * unacknowledged, and tried again once the endpoint may be asked ({@link EndpointBackoff}).
 */
public class EndpointDownException extends RuntimeException {
    private final transient JudgeEndpoint endpoint;

    public EndpointDownException(JudgeEndpoint endpoint, String message) {
        super(message);
        this.endpoint = endpoint;
    }

    public JudgeEndpoint endpoint() {
        return endpoint;
    }
}
