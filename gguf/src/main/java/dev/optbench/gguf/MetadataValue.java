package dev.optbench.gguf;

import java.util.List;

/**
 * A typed GGUF metadata value. Scalars hold a boxed Java number, Boolean or String; arrays hold a
 * {@code List} of those with {@code elementType} saying which.
 */
public record MetadataValue(GgufValueType type, GgufValueType elementType, Object value) {

    public static MetadataValue uint32(long value) {
        return new MetadataValue(GgufValueType.UINT32, null, value);
    }

    public static MetadataValue float32(float value) {
        return new MetadataValue(GgufValueType.FLOAT32, null, value);
    }

    public static MetadataValue string(String value) {
        return new MetadataValue(GgufValueType.STRING, null, value);
    }

    public static MetadataValue bool(boolean value) {
        return new MetadataValue(GgufValueType.BOOL, null, value);
    }

    public static MetadataValue array(GgufValueType elementType, List<?> values) {
        return new MetadataValue(GgufValueType.ARRAY, elementType, List.copyOf(values));
    }

    public boolean isArray() {
        return type == GgufValueType.ARRAY;
    }

    public List<?> asList() {
        if (!isArray()) {
            throw new GgufFormatException("a " + type + " is not an array");
        }
        return (List<?>) value;
    }

    public long asLong() {
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new GgufFormatException("a " + type + " is not a number");
    }

    /** The value with an array cut to its first few elements: for printing. */
    @Override
    public String toString() {
        if (isArray()) {
            List<?> list = asList();
            return "[" + elementType + " × " + list.size() + "]";
        }
        return String.valueOf(value);
    }
}
