package dev.optbench.orchestrator.problems;

import dev.optbench.orchestrator.runs.spec.FieldErrors;
import java.util.List;

/** A request with bad fields (body or query parameters), each named; mapped to a 400 problem response. */
public class InvalidFieldsException extends RuntimeException {
    private final transient List<FieldErrors.FieldError> errors;

    public InvalidFieldsException(String title, List<FieldErrors.FieldError> errors) {
        super(title);
        this.errors = List.copyOf(errors);
    }

    public static InvalidFieldsException of(String field, String message) {
        return new InvalidFieldsException("Invalid request", List.of(new FieldErrors.FieldError(field, message)));
    }

    public List<FieldErrors.FieldError> errors() {
        return errors;
    }
}
