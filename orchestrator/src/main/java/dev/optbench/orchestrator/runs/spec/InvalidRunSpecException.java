package dev.optbench.orchestrator.runs.spec;

import dev.optbench.orchestrator.problems.InvalidFieldsException;
import java.util.List;

/** A run spec that cannot be stored, with every bad field; nothing of it is stored. */
public class InvalidRunSpecException extends InvalidFieldsException {
    public InvalidRunSpecException(List<FieldErrors.FieldError> errors) {
        super("Invalid run spec", errors);
    }
}
