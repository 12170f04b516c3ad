package dev.optbench.contracts.corpora;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The perplexity corpora OptBench ships: {@code builtin:<name>} in a run spec's {@code quality.perplexity.corpus}.
 * Anything else is a text file under the models directory that the worker resolves.
 */
public final class BuiltinCorpus {
    public static final String PREFIX = "builtin:";
    public static final String SAMPLE_TEXT = "builtin:sample-text";
    private static final Set<String> NAMES = Set.of(SAMPLE_TEXT);

    private BuiltinCorpus() {
    }

    public static boolean isBuiltin(String corpus) {
        return corpus != null && corpus.startsWith(PREFIX);
    }

    public static Set<String> names() {
        return NAMES;
    }

    /** The corpus text as UTF-8 bytes; {@code name} must be one of {@link #names()}. */
    public static byte[] bytes(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("is not a shipped corpus: use one of " + NAMES + " or a text file under the models directory");
        }
        String resource = name.substring(PREFIX.length()) + ".txt";
        try (InputStream in = BuiltinCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
