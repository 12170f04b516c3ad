package dev.optbench.gguf;

/**
 * A file that is not valid GGUF, or a request that would make one invalid.
 */
public class GgufFormatException extends RuntimeException {
    public GgufFormatException(String message) {
        super(message);
    }
}
