package dev.optbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.optbench.contracts.messages.Messages;

/** JSON writing with the one mapping of the project, nulls kept (a null flag value means a bare flag). */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        try {
            return Messages.mapper().copy().setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                    .writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
