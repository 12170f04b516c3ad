package dev.optbench.contracts.messages;

/**
 * The message schema version this build writes and reads. A consumer sends messages of any other
 * version to the dead-letter topic rather than guessing at their meaning.
 */
public final class SchemaVersion {
    public static final int CURRENT = 1;

    private SchemaVersion() {
    }
}
