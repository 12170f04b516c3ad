package dev.optbench.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Writes a GGUF version 3 file. The file appears under its name only when complete (written beside it,
 * then renamed), so a crash never leaves a half-written model where a reader would take it for whole.
 */
public final class GgufWriter {
    private static final int VERSION = 3;

    /** A tensor to write: its header fields and where its bytes come from. */
    public record Tensor(String name, long[] dims, GgmlType type, TensorData data) {
        long sizeBytes() {
            long elements = 1;
            for (long dim : dims) {
                elements *= dim;
            }
            return type.bytesFor(elements);
        }
    }

    /** Writes exactly a tensor's bytes to the channel. */
    @FunctionalInterface
    public interface TensorData {
        void writeTo(WritableByteChannel out) throws IOException;

        /** The bytes of a tensor in another GGUF file, copied without passing through the heap. */
        static TensorData copyOf(Path source, long position, long size) {
            return out -> {
                try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                    long done = 0;
                    while (done < size) {
                        long moved = in.transferTo(position + done, size - done, out);
                        if (moved <= 0) {
                            throw new GgufFormatException(source + " ends inside a tensor");
                        }
                        done += moved;
                    }
                }
            };
        }
    }

    private GgufWriter() {
    }

    public static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    public static void write(Path target, SequencedMap<String, MetadataValue> metadata, List<Tensor> tensors) throws IOException {
        MetadataValue alignmentValue = metadata.get("general.alignment");
        int alignment = alignmentValue == null ? GgufFile.DEFAULT_ALIGNMENT : (int) alignmentValue.asLong();
        Header header = new Header();
        header.int32(GgufReader.MAGIC);
        header.int32(VERSION);
        header.int64(tensors.size());
        header.int64(metadata.size());
        for (Map.Entry<String, MetadataValue> entry : metadata.entrySet()) {
            header.string(entry.getKey());
            header.value(entry.getValue());
        }
        long offset = 0;
        for (Tensor tensor : tensors) {
            header.string(tensor.name());
            header.int32(tensor.dims().length);
            for (long dim : tensor.dims()) {
                header.int64(dim);
            }
            header.int32(tensor.type().id);
            header.int64(offset);
            offset = align(offset + tensor.sizeBytes(), alignment);
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, target.getFileName().toString(), ".partial");
        try {
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, ByteBuffer.wrap(header.bytes()));
                pad(out, alignment);
                long dataStart = out.position();
                for (Tensor tensor : tensors) {
                    long before = out.position();
                    tensor.data().writeTo(out);
                    long written = out.position() - before;
                    if (written != tensor.sizeBytes()) {
                        throw new GgufFormatException("tensor " + tensor.name() + " wrote " + written + " bytes, not " + tensor.sizeBytes());
                    }
                    pad(out, alignment);
                }
                if (out.position() - dataStart < offset) {
                    throw new GgufFormatException("data section shorter than its tensors");
                }
                out.force(true);
            }
            makeReadableByAll(partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    // Temporary files are private (0600); a model is read by other accounts, e.g. a container's user.
    private static void makeReadableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void pad(FileChannel out, int alignment) throws IOException {
        long padding = align(out.position(), alignment) - out.position();
        if (padding > 0) {
            writeFully(out, ByteBuffer.allocate((int) padding));
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** The header, built in memory: small next to the tensors (a 32k vocabulary is about 1 MB). */
    private static final class Header {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void int8(int value) {
            bytes.write(value);
        }

        void int16(int value) {
            scratch.clear();
            scratch.putShort((short) value);
            bytes.write(scratch.array(), 0, 2);
        }

        void int32(int value) {
            scratch.clear();
            scratch.putInt(value);
            bytes.write(scratch.array(), 0, 4);
        }

        void int64(long value) {
            scratch.clear();
            scratch.putLong(value);
            bytes.write(scratch.array(), 0, 8);
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            int64(utf8.length);
            bytes.writeBytes(utf8);
        }

        void value(MetadataValue value) {
            int32(value.type().id());
            if (value.isArray()) {
                int32(value.elementType().id());
                List<?> list = value.asList();
                int64(list.size());
                for (Object element : list) {
                    scalar(value.elementType(), element);
                }
            } else {
                scalar(value.type(), value.value());
            }
        }

        private void scalar(GgufValueType type, Object value) {
            switch (type) {
                case UINT8, INT8 -> int8(((Number) value).intValue());
                case UINT16, INT16 -> int16(((Number) value).intValue());
                case UINT32, INT32 -> int32(((Number) value).intValue());
                case UINT64, INT64 -> int64(((Number) value).longValue());
                case FLOAT32 -> int32(Float.floatToRawIntBits(((Number) value).floatValue()));
                case FLOAT64 -> int64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
                case BOOL -> int8(((Boolean) value) ? 1 : 0);
                case STRING -> string((String) value);
                case ARRAY -> throw new GgufFormatException("nested metadata arrays are not supported");
            }
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
