package dev.optbench.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny random-weight llama model that llama-server loads and answers with: real timings, a real
 * SentencePiece vocabulary borrowed from llama.cpp's {@code ggml-vocab-llama-spm.gguf}, gibberish answers.
 *
 * @param embeddingSigma σ of {@code token_embd} and {@code output}; at 1.0 the output distribution is far
 *                       enough from uniform that quantization's KL divergence is measurable
 * @param sigma          σ of every other weight matrix
 */
public record TinyModel(int blocks, int embedding, int feedForward, int heads, int contextLength,
                        double embeddingSigma, double sigma, long seed) {

    public static final TinyModel DEFAULT = new TinyModel(4, 256, 1024, 4, 2048, 1.0, 0.02, 42);

    // Recognised by llama.cpp as ChatML, so /v1/chat/completions works without --jinja.
    static final String CHAT_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public void write(Path vocabulary, Path target) throws IOException {
        GgufFile vocab = GgufReader.read(vocabulary);
        MetadataValue tokens = vocab.metadata().get("tokenizer.ggml.tokens");
        if (tokens == null) {
            throw new GgufFormatException(vocabulary + " has no tokenizer.ggml.tokens");
        }
        int vocabSize = tokens.asList().size();

        LinkedHashMap<String, MetadataValue> metadata = new LinkedHashMap<>();
        metadata.put("general.architecture", MetadataValue.string("llama"));
        metadata.put("general.name", MetadataValue.string("optbench-tiny (random weights, seed " + seed + ")"));
        metadata.put("general.file_type", MetadataValue.uint32(1));
        metadata.put("llama.context_length", MetadataValue.uint32(contextLength));
        metadata.put("llama.embedding_length", MetadataValue.uint32(embedding));
        metadata.put("llama.block_count", MetadataValue.uint32(blocks));
        metadata.put("llama.feed_forward_length", MetadataValue.uint32(feedForward));
        metadata.put("llama.attention.head_count", MetadataValue.uint32(heads));
        metadata.put("llama.attention.head_count_kv", MetadataValue.uint32(heads));
        metadata.put("llama.rope.dimension_count", MetadataValue.uint32(embedding / heads));
        metadata.put("llama.attention.layer_norm_rms_epsilon", MetadataValue.float32(1e-5f));
        metadata.put("llama.vocab_size", MetadataValue.uint32(vocabSize));
        for (Map.Entry<String, MetadataValue> entry : vocab.metadata().entrySet()) {
            if (entry.getKey().startsWith("tokenizer.") && !entry.getKey().equals("tokenizer.chat_template")) {
                metadata.put(entry.getKey(), entry.getValue());
            }
        }
        metadata.putIfAbsent("tokenizer.ggml.bos_token_id", MetadataValue.uint32(1));
        metadata.putIfAbsent("tokenizer.ggml.eos_token_id", MetadataValue.uint32(2));
        metadata.putIfAbsent("tokenizer.ggml.unknown_token_id", MetadataValue.uint32(0));
        metadata.put("tokenizer.chat_template", MetadataValue.string(CHAT_TEMPLATE));

        SplittableRandom random = new SplittableRandom(seed);
        List<GgufWriter.Tensor> tensors = new ArrayList<>();
        tensors.add(f16("token_embd.weight", embedding, vocabSize, embeddingSigma, random.split()));
        for (int block = 0; block < blocks; block++) {
            String prefix = "blk." + block + ".";
            tensors.add(ones(prefix + "attn_norm.weight", embedding));
            for (String name : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
                tensors.add(f16(prefix + name + ".weight", embedding, embedding, sigma, random.split()));
            }
            tensors.add(ones(prefix + "ffn_norm.weight", embedding));
            tensors.add(f16(prefix + "ffn_gate.weight", embedding, feedForward, sigma, random.split()));
            tensors.add(f16(prefix + "ffn_up.weight", embedding, feedForward, sigma, random.split()));
            tensors.add(f16(prefix + "ffn_down.weight", feedForward, embedding, sigma, random.split()));
        }
        tensors.add(ones("output_norm.weight", embedding));
        tensors.add(f16("output.weight", embedding, vocabSize, embeddingSigma, random.split()));
        GgufWriter.write(target, metadata, tensors);
    }

    /** A (rows × cols) matrix of normal f16 weights; GGUF lists its dimensions as [cols, rows]. */
    private static GgufWriter.Tensor f16(String name, int cols, int rows, double sigma, SplittableRandom random) {
        return new GgufWriter.Tensor(name, new long[] {cols, rows}, GgmlType.F16, out -> {
            ByteBuffer row = ByteBuffer.allocate(cols * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                row.clear();
                for (int c = 0; c < cols; c++) {
                    row.putShort(Float.floatToFloat16((float) (gaussian(random) * sigma)));
                }
                row.flip();
                while (row.hasRemaining()) {
                    out.write(row);
                }
            }
        });
    }

    private static GgufWriter.Tensor ones(String name, int length) {
        return new GgufWriter.Tensor(name, new long[] {length}, GgmlType.F32, out -> {
            ByteBuffer buffer = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < length; i++) {
                buffer.putFloat(1.0f);
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        });
    }

    // Box–Muller from a seeded generator, so the same seed writes the same file.
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
