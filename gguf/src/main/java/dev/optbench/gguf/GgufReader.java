package dev.optbench.gguf;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads a GGUF file's header (versions 2 and 3, little-endian). Tensor data is not read.
 */
public final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    private static final long MAX_STRING_BYTES = 1L << 30;
    private static final long MAX_COUNT = 1L << 32;

    private final DataInputStream in;
    private long position;

    private GgufReader(InputStream in) {
        this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    public static GgufFile read(Path path) throws IOException {
        try (InputStream stream = Files.newInputStream(path)) {
            return new GgufReader(stream).readHeader();
        } catch (EOFException e) {
            throw new GgufFormatException(path + " ends inside its GGUF header");
        }
    }

    private GgufFile readHeader() throws IOException {
        int magic = int32();
        if (magic != MAGIC) {
            throw new GgufFormatException(String.format("not a GGUF file (magic 0x%08x)", magic));
        }
        int version = int32();
        if (version < 2 || version > 3) {
            throw new GgufFormatException("unsupported GGUF version " + version);
        }
        long tensorCount = count(int64(), "tensor count");
        long metadataCount = count(int64(), "metadata count");
        LinkedHashMap<String, MetadataValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < metadataCount; i++) {
            String key = string();
            metadata.put(key, value(GgufValueType.ofId(int32())));
        }
        List<TensorInfo> tensors = new ArrayList<>((int) tensorCount);
        for (long i = 0; i < tensorCount; i++) {
            String name = string();
            int dimensions = int32();
            if (dimensions < 1 || dimensions > 4) {
                throw new GgufFormatException("tensor " + name + " has " + dimensions + " dimensions");
            }
            long[] dims = new long[dimensions];
            for (int d = 0; d < dimensions; d++) {
                dims[d] = int64();
            }
            tensors.add(new TensorInfo(name, dims, GgmlType.ofId(int32()), int64()));
        }
        MetadataValue alignmentValue = metadata.get("general.alignment");
        int alignment = alignmentValue == null ? GgufFile.DEFAULT_ALIGNMENT : (int) alignmentValue.asLong();
        long dataOffset = GgufWriter.align(position, alignment);
        return new GgufFile(version, metadata, List.copyOf(tensors), alignment, dataOffset);
    }

    private MetadataValue value(GgufValueType type) throws IOException {
        if (type == GgufValueType.ARRAY) {
            GgufValueType elementType = GgufValueType.ofId(int32());
            long length = count(int64(), "array length");
            List<Object> values = new ArrayList<>((int) Math.min(length, 1 << 20));
            for (long i = 0; i < length; i++) {
                values.add(scalar(elementType));
            }
            return new MetadataValue(type, elementType, List.copyOf(values));
        }
        return new MetadataValue(type, null, scalar(type));
    }

    private Object scalar(GgufValueType type) throws IOException {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(int8());
            case INT8 -> (long) int8();
            case UINT16 -> (long) Short.toUnsignedInt(int16());
            case INT16 -> (long) int16();
            case UINT32 -> Integer.toUnsignedLong(int32());
            case INT32 -> (long) int32();
            case FLOAT32 -> Float.intBitsToFloat(int32());
            case BOOL -> int8() != 0;
            case STRING -> string();
            case UINT64, INT64 -> int64();
            case FLOAT64 -> Double.longBitsToDouble(int64());
            case ARRAY -> throw new GgufFormatException("nested metadata arrays are not supported");
        };
    }

    private byte int8() throws IOException {
        position += 1;
        return in.readByte();
    }

    private short int16() throws IOException {
        position += 2;
        return Short.reverseBytes(in.readShort());
    }

    private int int32() throws IOException {
        position += 4;
        return Integer.reverseBytes(in.readInt());
    }

    private long int64() throws IOException {
        position += 8;
        return Long.reverseBytes(in.readLong());
    }

    private String string() throws IOException {
        long length = int64();
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new GgufFormatException("string of " + length + " bytes");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException();
        }
        position += bytes.length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long count(long value, String what) {
        if (value < 0 || value > MAX_COUNT) {
            throw new GgufFormatException(what + " " + value + " is out of range");
        }
        return value;
    }
}
