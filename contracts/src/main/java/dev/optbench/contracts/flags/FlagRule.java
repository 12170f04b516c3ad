package dev.optbench.contracts.flags;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one allowed llama-server flag accepts. {@code names.get(0)} is the canonical long name that
 * normalised flags carry; the others are aliases (short forms and older spellings).
 */
public record FlagRule(List<String> names, Kind kind, BigDecimal min, BigDecimal max, List<String> choices,
                       String defaultChoice, Pattern pattern) {

    public enum Kind { SWITCH, INT, NUMBER, ENUM, ENUM_LIST, OPTIONAL_ENUM, INT_OR_ENUM, NUMBER_LIST, PATTERN, MODEL }

    public String canonicalName() {
        return names.get(0);
    }

    /** A human description of the values this flag takes, for error messages. */
    public String expected() {
        return switch (kind) {
            case SWITCH -> "no value (null)";
            case INT -> "an integer from " + min.toPlainString() + " to " + max.toPlainString();
            case NUMBER -> "a number from " + min.toPlainString() + " to " + max.toPlainString();
            case ENUM -> "one of " + String.join(", ", choices);
            case ENUM_LIST -> "a comma-separated list of " + String.join(", ", choices);
            case OPTIONAL_ENUM -> "null (meaning " + defaultChoice + ") or one of " + String.join(", ", choices);
            case INT_OR_ENUM -> "an integer from " + min.toPlainString() + " to " + max.toPlainString() + " or one of " + String.join(", ", choices);
            case NUMBER_LIST -> "a comma-separated list of numbers from " + min.toPlainString() + " to " + max.toPlainString();
            case PATTERN -> "a value matching " + pattern.pattern();
            case MODEL -> "a model file name under the models directory";
        };
    }
}
