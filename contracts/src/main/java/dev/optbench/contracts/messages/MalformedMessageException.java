package dev.optbench.contracts.messages;

/**
 * A message that cannot be read: it belongs on the dead-letter topic, with this message as the reason.
 */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
