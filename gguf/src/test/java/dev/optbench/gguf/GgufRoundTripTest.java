package dev.optbench.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    private static GgufWriter.Tensor f32(String name, float... values) {
        return new GgufWriter.Tensor(name, new long[] {values.length}, GgmlType.F32, out -> {
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : values) {
                buffer.putFloat(value);
            }
            out.write(buffer.flip());
        });
    }

    private static LinkedHashMap<String, MetadataValue> metadata() {
        LinkedHashMap<String, MetadataValue> metadata = new LinkedHashMap<>();
        metadata.put("general.architecture", MetadataValue.string("llama"));
        metadata.put("llama.block_count", MetadataValue.uint32(3));
        metadata.put("llama.context_length", MetadataValue.uint32(512));
        metadata.put("general.file_type", MetadataValue.uint32(0));
        metadata.put("llama.attention.layer_norm_rms_epsilon", MetadataValue.float32(1e-5f));
        metadata.put("general.flag", MetadataValue.bool(true));
        metadata.put("llama.per_layer", MetadataValue.array(GgufValueType.INT32, List.of(10L, 11L, 12L)));
        metadata.put("tokenizer.ggml.tokens", MetadataValue.array(GgufValueType.STRING, List.of("<unk>", "ä", "🙂")));
        return metadata;
    }

    private Path writeThreeBlockModel() throws IOException {
        Path file = dir.resolve("model.gguf");
        GgufWriter.write(file, metadata(), List.of(
                f32("token_embd.weight", 1, 2, 3),
                f32("blk.0.attn_norm.weight", 0, 0),
                f32("blk.1.attn_norm.weight", 1, 1),
                f32("blk.2.attn_norm.weight", 2, 2),
                f32("output_norm.weight", 9)));
        return file;
    }

    private static float[] floats(Path file, GgufFile model, String tensor) throws IOException {
        TensorInfo info = model.tensor(tensor);
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(all, (int) (model.dataOffset() + info.offset()), (int) info.sizeBytes()).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[(int) info.elements()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }

    @Test
    void writtenMetadataAndTensorsReadBackTheSame() throws IOException {
        Path file = writeThreeBlockModel();
        GgufFile model = GgufReader.read(file);
        assertEquals(3, model.version());
        assertEquals(metadata(), model.metadata());
        assertEquals(List.of("token_embd.weight", "blk.0.attn_norm.weight", "blk.1.attn_norm.weight", "blk.2.attn_norm.weight", "output_norm.weight"),
                model.tensors().stream().map(TensorInfo::name).toList());
        assertArrayEquals(new float[] {1, 2, 3}, floats(file, model, "token_embd.weight"));
        assertArrayEquals(new float[] {9}, floats(file, model, "output_norm.weight"));
        assertEquals(0, model.dataOffset() % 32);
        assertTrue(model.tensors().stream().allMatch(t -> t.offset() % 32 == 0));
    }

    @Test
    void summarisesArchitectureBlocksContextTypeAndParameters() throws IOException {
        GgufFile model = GgufReader.read(writeThreeBlockModel());
        assertEquals("llama", model.architecture());
        assertEquals(3, model.blockCount());
        assertEquals(512, model.contextLength());
        assertEquals("F32", model.fileType());
        assertEquals(3 + 2 + 2 + 2 + 1, model.parameterCount());
    }

    @Test
    void pruningFromTheEndDropsTheLastBlocksAndFixesBlockCount() throws IOException {
        Path source = writeThreeBlockModel();
        Path pruned = dir.resolve("pruned.gguf");
        LayerPruner.prune(source, pruned, 1, LayerPruner.From.END);
        GgufFile model = GgufReader.read(pruned);
        assertEquals(2, model.blockCount());
        assertEquals(List.of(10L, 11L), model.metadata().get("llama.per_layer").asList());
        assertEquals(List.of("token_embd.weight", "blk.0.attn_norm.weight", "blk.1.attn_norm.weight", "output_norm.weight"),
                model.tensors().stream().map(TensorInfo::name).toList());
        assertArrayEquals(new float[] {1, 1}, floats(pruned, model, "blk.1.attn_norm.weight"));
    }

    @Test
    void pruningFromTheMiddleRenumbersTheBlocksAfterTheGap() throws IOException {
        Path source = writeThreeBlockModel();
        Path pruned = dir.resolve("pruned.gguf");
        LayerPruner.prune(source, pruned, 1, LayerPruner.From.MIDDLE);
        GgufFile model = GgufReader.read(pruned);
        assertEquals(List.of(10L, 12L), model.metadata().get("llama.per_layer").asList());
        assertArrayEquals(new float[] {0, 0}, floats(pruned, model, "blk.0.attn_norm.weight"));
        assertArrayEquals(new float[] {2, 2}, floats(pruned, model, "blk.1.attn_norm.weight"));
    }

    @Test
    void refusesToPruneEveryBlock() throws IOException {
        Path source = writeThreeBlockModel();
        assertThrows(IllegalArgumentException.class, () -> LayerPruner.prune(source, dir.resolve("x.gguf"), 3, LayerPruner.From.END));
    }

    @Test
    void rejectsAFileThatIsNotGguf() throws IOException {
        Path file = dir.resolve("not.gguf");
        Files.writeString(file, "definitely not a model, just text that is long enough");
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufReader.read(file));
        assertTrue(e.getMessage().contains("not a GGUF file"), e.getMessage());
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        byte[] whole = Files.readAllBytes(writeThreeBlockModel());
        Path file = dir.resolve("truncated.gguf");
        Files.write(file, Arrays.copyOf(whole, 60));
        assertThrows(GgufFormatException.class, () -> GgufReader.read(file));
    }

    @Test
    void leavesNoFileBehindWhenATensorWritesTheWrongSize() {
        Path file = dir.resolve("broken.gguf");
        GgufWriter.Tensor shortTensor = new GgufWriter.Tensor("t", new long[] {4}, GgmlType.F32, out -> out.write(ByteBuffer.allocate(8)));
        assertThrows(GgufFormatException.class, () -> GgufWriter.write(file, metadata(), List.of(shortTensor)));
        assertTrue(Files.notExists(file));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
