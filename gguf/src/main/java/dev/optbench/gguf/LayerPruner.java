package dev.optbench.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes whole transformer blocks from a GGUF model: drops their tensors, renumbers the blocks after them,
 * fixes {@code <arch>.block_count} and cuts per-layer metadata arrays to match. Tensor bytes are copied as
 * they are, so any quantization survives.
 */
public final class LayerPruner {
    private static final Pattern BLOCK_TENSOR = Pattern.compile("^blk\\.(\\d+)\\.(.+)$");

    public enum From {
        END, MIDDLE;

        public static From parse(String text) {
            return switch (text == null ? "" : text.toLowerCase(java.util.Locale.ROOT)) {
                case "end" -> END;
                case "middle" -> MIDDLE;
                default -> throw new IllegalArgumentException("prune 'from' must be end or middle, not '" + text + "'");
            };
        }
    }

    private LayerPruner() {
    }

    /** The first block index to drop: the last blocks, or those centred in the stack. */
    public static int firstDropped(int blockCount, int dropLayers, From from) {
        return from == From.END ? blockCount - dropLayers : (blockCount - dropLayers) / 2;
    }

    public static void prune(Path source, Path target, int dropLayers, From from) throws IOException {
        GgufFile model = GgufReader.read(source);
        int blocks = model.blockCount();
        if (blocks < 1) {
            throw new GgufFormatException(source + " declares no " + model.architecture() + ".block_count");
        }
        if (dropLayers < 1 || dropLayers >= blocks) {
            throw new IllegalArgumentException("can drop 1 to " + (blocks - 1) + " of " + blocks + " blocks, not " + dropLayers);
        }
        int first = firstDropped(blocks, dropLayers, from);
        int end = first + dropLayers;

        LinkedHashMap<String, MetadataValue> metadata = new LinkedHashMap<>();
        String prefix = model.architecture() + ".";
        for (Map.Entry<String, MetadataValue> entry : model.metadata().entrySet()) {
            MetadataValue value = entry.getValue();
            if (entry.getKey().equals(prefix + "block_count")) {
                value = new MetadataValue(value.type(), null, (long) (blocks - dropLayers));
            } else if (entry.getKey().startsWith(prefix) && value.isArray() && value.asList().size() == blocks) {
                List<Object> kept = new ArrayList<>(value.asList());
                kept.subList(first, end).clear();
                value = MetadataValue.array(value.elementType(), kept);
            } else if (entry.getKey().equals("general.name")) {
                value = MetadataValue.string(value.value() + " (pruned " + dropLayers + " of " + blocks + " blocks, " + from.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            metadata.put(entry.getKey(), value);
        }

        List<GgufWriter.Tensor> tensors = new ArrayList<>();
        for (TensorInfo tensor : model.tensors()) {
            String name = tensor.name();
            Matcher matcher = BLOCK_TENSOR.matcher(name);
            if (matcher.matches()) {
                int block = Integer.parseInt(matcher.group(1));
                if (block >= first && block < end) {
                    continue;
                }
                int renumbered = block < first ? block : block - dropLayers;
                name = "blk." + renumbered + "." + matcher.group(2);
            }
            tensors.add(new GgufWriter.Tensor(name, tensor.dims(), tensor.type(),
                    GgufWriter.TensorData.copyOf(source, model.dataOffset() + tensor.offset(), tensor.sizeBytes())));
        }
        GgufWriter.write(target, metadata, tensors);
    }
}
