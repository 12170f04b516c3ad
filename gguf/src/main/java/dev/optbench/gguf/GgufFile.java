package dev.optbench.gguf;

import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A GGUF file's header as read from disk: metadata in file order, tensor headers, and where the tensor data
 * starts. Tensor data stays on disk.
 */
public record GgufFile(int version, SequencedMap<String, MetadataValue> metadata, List<TensorInfo> tensors,
                       int alignment, long dataOffset) {

    public static final int DEFAULT_ALIGNMENT = 32;

    /** The llama_ftype names that {@code general.file_type} numbers stand for. */
    private static final Map<Integer, String> FILE_TYPES = Map.ofEntries(
            Map.entry(0, "F32"), Map.entry(1, "F16"), Map.entry(2, "Q4_0"), Map.entry(3, "Q4_1"),
            Map.entry(7, "Q8_0"), Map.entry(8, "Q5_0"), Map.entry(9, "Q5_1"), Map.entry(10, "Q2_K"),
            Map.entry(11, "Q3_K_S"), Map.entry(12, "Q3_K_M"), Map.entry(13, "Q3_K_L"), Map.entry(14, "Q4_K_S"),
            Map.entry(15, "Q4_K_M"), Map.entry(16, "Q5_K_S"), Map.entry(17, "Q5_K_M"), Map.entry(18, "Q6_K"),
            Map.entry(19, "IQ2_XXS"), Map.entry(20, "IQ2_XS"), Map.entry(21, "Q2_K_S"), Map.entry(22, "IQ3_XS"),
            Map.entry(23, "IQ3_XXS"), Map.entry(24, "IQ1_S"), Map.entry(25, "IQ4_NL"), Map.entry(26, "IQ3_S"),
            Map.entry(27, "IQ3_M"), Map.entry(28, "IQ2_S"), Map.entry(29, "IQ2_M"), Map.entry(30, "IQ4_XS"),
            Map.entry(31, "IQ1_M"), Map.entry(32, "BF16"), Map.entry(36, "TQ1_0"), Map.entry(37, "TQ2_0"),
            Map.entry(38, "MXFP4_MOE"), Map.entry(39, "NVFP4"), Map.entry(40, "Q1_0"), Map.entry(41, "Q2_0"));

    public String architecture() {
        MetadataValue value = metadata.get("general.architecture");
        if (value == null) {
            throw new GgufFormatException("no general.architecture in the metadata");
        }
        return (String) value.value();
    }

    /** A metadata number under the architecture's prefix, e.g. {@code llama.block_count}; -1 when absent. */
    public long architectureLong(String suffix) {
        MetadataValue value = metadata.get(architecture() + "." + suffix);
        return value == null || value.isArray() ? -1 : value.asLong();
    }

    public int blockCount() {
        return (int) architectureLong("block_count");
    }

    public long contextLength() {
        return architectureLong("context_length");
    }

    /** The quantization the file declares ({@code Q4_K_M}), or the dominant tensor type when it declares none. */
    public String fileType() {
        MetadataValue value = metadata.get("general.file_type");
        if (value != null) {
            int id = (int) value.asLong();
            return FILE_TYPES.getOrDefault(id, "ftype-" + id);
        }
        return tensors.stream()
                .filter(t -> t.dims().length > 1)
                .collect(java.util.stream.Collectors.groupingBy(TensorInfo::type, java.util.stream.Collectors.summingLong(TensorInfo::sizeBytes)))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name()).orElse("unknown");
    }

    public long parameterCount() {
        return tensors.stream().mapToLong(TensorInfo::elements).sum();
    }

    public long tensorBytes() {
        return tensors.stream().mapToLong(TensorInfo::sizeBytes).sum();
    }

    /**
     * Bytes of weights read to generate one token: every tensor but the token embeddings, of which one row is
     * read; the whole embedding table when there is no {@code output.weight} (the output layer reuses it).
     */
    public long decodeWeightBytes() {
        TensorInfo embeddings = tensors.stream().filter(t -> t.name().equals("token_embd.weight")).findFirst().orElse(null);
        boolean tied = tensors.stream().noneMatch(t -> t.name().equals("output.weight"));
        if (embeddings == null || tied) {
            return tensorBytes();
        }
        long rows = embeddings.dims().length > 1 ? embeddings.dims()[1] : 1;
        return tensorBytes() - embeddings.sizeBytes() + embeddings.sizeBytes() / Math.max(1, rows);
    }

    /**
     * Bytes of K and V cache per context position over all layers at f16 (2 × layers × KV heads × head size × 2);
     * -1 when the metadata lacks a figure it needs.
     */
    public long kvBytesPerPosition() {
        long blocks = architectureLong("block_count");
        long embedding = architectureLong("embedding_length");
        long heads = architectureLong("attention.head_count");
        long kvHeads = architectureLong("attention.head_count_kv");
        long keyLength = architectureLong("attention.key_length");
        long valueLength = architectureLong("attention.value_length");
        if (blocks <= 0 || heads <= 0 || (embedding <= 0 && (keyLength <= 0 || valueLength <= 0))) {
            return -1;
        }
        long kv = kvHeads > 0 ? kvHeads : heads;
        long k = keyLength > 0 ? keyLength : embedding / heads;
        long v = valueLength > 0 ? valueLength : embedding / heads;
        return blocks * kv * (k + v) * 2;
    }

    public TensorInfo tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new GgufFormatException("no tensor named " + name));
    }
}
