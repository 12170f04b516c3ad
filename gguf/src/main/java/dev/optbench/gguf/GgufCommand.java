package dev.optbench.gguf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The command line of the GGUF tools:
 * <pre>
 *   tiny    --vocab FILE --out FILE [--seed N] [--embedding-sigma S]   write the tiny random-weight model
 *   inspect FILE                                                       print a model's summary as JSON
 *   prune   --in FILE --out FILE --drop N [--from end|middle]          drop transformer blocks
 * </pre>
 */
public final class GgufCommand {
    private GgufCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: gguf tiny|inspect|prune ...");
            return 2;
        }
        try {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "tiny" -> {
                    Path vocab = Path.of(option(rest, "--vocab", null));
                    Path target = Path.of(option(rest, "--out", null));
                    TinyModel defaults = TinyModel.DEFAULT;
                    TinyModel model = new TinyModel(defaults.blocks(), defaults.embedding(), defaults.feedForward(),
                            defaults.heads(), defaults.contextLength(),
                            Double.parseDouble(option(rest, "--embedding-sigma", String.valueOf(defaults.embeddingSigma()))),
                            defaults.sigma(), Long.parseLong(option(rest, "--seed", String.valueOf(defaults.seed()))));
                    model.write(vocab, target);
                    out.println(target.toAbsolutePath() + " " + Files.size(target) + " bytes");
                }
                case "inspect" -> {
                    if (rest.length != 1) {
                        throw new IllegalArgumentException("inspect takes one file");
                    }
                    out.println(summaryJson(Path.of(rest[0])));
                }
                case "prune" -> {
                    Path source = Path.of(option(rest, "--in", null));
                    Path target = Path.of(option(rest, "--out", null));
                    int drop = Integer.parseInt(option(rest, "--drop", null));
                    LayerPruner.prune(source, target, drop, LayerPruner.From.parse(option(rest, "--from", "end")));
                    out.println(summaryJson(target));
                }
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
            return 0;
        } catch (IllegalArgumentException | GgufFormatException e) {
            err.println("gguf: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("gguf: " + e);
            return 1;
        }
    }

    static String summaryJson(Path file) throws IOException {
        GgufFile model = GgufReader.read(file);
        return String.format(Locale.ROOT,
                "{\"file\":\"%s\",\"sizeBytes\":%d,\"architecture\":\"%s\",\"blockCount\":%d,\"contextLength\":%d,"
                        + "\"fileType\":\"%s\",\"parameterCount\":%d,\"tensorCount\":%d,\"tensorBytes\":%d}",
                file.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""), Files.size(file),
                model.architecture(), model.blockCount(), model.contextLength(), model.fileType(),
                model.parameterCount(), model.tensors().size(), model.tensorBytes());
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return fallback;
    }
}
