package dev.optbench.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.testsupport.TestInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelTest {
    @TempDir
    Path dir;

    @Test
    void readsLlamaCppsSentencePieceVocabulary() throws IOException {
        GgufFile vocab = GgufReader.read(TestInfrastructure.llamaVocab());
        assertEquals("llama", vocab.metadata().get("tokenizer.ggml.model").value());
        assertEquals(32000, vocab.metadata().get("tokenizer.ggml.tokens").asList().size());
        assertEquals(32000, vocab.metadata().get("tokenizer.ggml.scores").asList().size());
    }

    @Test
    void writesTheTinyLlamaModelWithTheVocabularyAndTheDocumentedShape() throws IOException {
        Path file = dir.resolve("tiny.gguf");
        TinyModel.DEFAULT.write(TestInfrastructure.llamaVocab(), file);
        GgufFile model = GgufReader.read(file);
        assertEquals("llama", model.architecture());
        assertEquals(4, model.blockCount());
        assertEquals(2048, model.contextLength());
        assertEquals("F16", model.fileType());
        assertEquals(2 + 4 * 9 + 1, model.tensors().size());
        assertEquals(32000L * 256 * 2 + 4L * (4 * 256 * 256 + 3 * 256 * 1024 + 2 * 256) + 256, model.parameterCount());
        assertEquals(32000, model.metadata().get("tokenizer.ggml.tokens").asList().size());
        assertTrue(((String) model.metadata().get("tokenizer.chat_template").value()).contains("<|im_start|>"));
        assertTrue(Files.size(file) > 40_000_000L, "f16 weights of 20.6 M parameters");
    }

    @Test
    void decodingReadsEveryWeightButTheEmbeddingTableAndTheCacheHoldsKAndVPerLayer() throws IOException {
        Path file = dir.resolve("tiny.gguf");
        TinyModel.DEFAULT.write(TestInfrastructure.llamaVocab(), file);
        GgufFile model = GgufReader.read(file);
        long embeddings = 32000L * 256 * 2;
        assertEquals(model.tensorBytes() - embeddings + 256 * 2, model.decodeWeightBytes(), "one row of the embeddings per token");
        assertEquals(4L * 4 * (64 + 64) * 2, model.kvBytesPerPosition(), "4 layers × 4 KV heads × (64 + 64) f16 values");
    }

    @Test
    void theSameSeedWritesTheSameFile() throws IOException {
        Path first = dir.resolve("a.gguf");
        Path second = dir.resolve("b.gguf");
        TinyModel small = new TinyModel(1, 64, 128, 2, 128, 1.0, 0.02, 7);
        small.write(TestInfrastructure.llamaVocab(), first);
        small.write(TestInfrastructure.llamaVocab(), second);
        assertEquals(-1, Files.mismatch(first, second));
    }
}
