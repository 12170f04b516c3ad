package dev.optbench.gguf;

import java.util.Arrays;

/**
 * A tensor's header: its name, its dimensions innermost first (a (rows, cols) matrix has
 * {@code dims = [cols, rows]}), its type, and its data offset from the start of the data section.
 */
public record TensorInfo(String name, long[] dims, GgmlType type, long offset) {

    public long elements() {
        return Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    }

    public long sizeBytes() {
        return type.bytesFor(elements());
    }

    public TensorInfo withName(String newName) {
        return new TensorInfo(newName, dims, type, offset);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that && name.equals(that.name) && Arrays.equals(dims, that.dims)
                && type == that.type && offset == that.offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
