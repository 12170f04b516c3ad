package dev.optbench.gguf;

/**
 * The types of GGUF metadata values, with their ids in the file.
 */
public enum GgufValueType {
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

    public static GgufValueType ofId(int id) {
        if (id < 0 || id >= values().length) {
            throw new GgufFormatException("unknown metadata value type " + id);
        }
        return values()[id];
    }

    public int id() {
        return ordinal();
    }
}
