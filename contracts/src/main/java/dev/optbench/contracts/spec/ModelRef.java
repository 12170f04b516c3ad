package dev.optbench.contracts.spec;

import java.util.regex.Pattern;

/**
 * A model as a run spec names it: a GGUF file under the models directory, the generated
 * {@code synthetic:tiny}, or {@code hf:<user>/<repo>[:<quant>]} for workers that may download.
 * Parsing refuses anything that could leave the models directory; the worker checks the real path again.
 */
public record ModelRef(Kind kind, String text, String path, String hfRepo, String hfQuant) {

    public enum Kind { FILE, SYNTHETIC, HF }

    public static final String SYNTHETIC_TINY = "synthetic:tiny";
    private static final int MAX_LENGTH = 255;
    private static final Pattern FILE_PATH = Pattern.compile("[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");
    // The hub's own rule for a repository id: letters, digits, '.', '_', '-', neither starting nor ending with '.' or '-'.
    private static final String HUB_NAME = "[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?";
    private static final Pattern HF = Pattern.compile("hf:(" + HUB_NAME + "/" + HUB_NAME + ")(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,63}))?");

    /**
     * @throws IllegalArgumentException with a message fit for an API error when the reference is not allowed
     */
    public static ModelRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty: name a model file, synthetic:tiny or hf:<user>/<repo>");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        if (text.equals(SYNTHETIC_TINY)) {
            return new ModelRef(Kind.SYNTHETIC, text, null, null, null);
        }
        if (text.startsWith("hf:")) {
            var matcher = HF.matcher(text);
            if (!matcher.matches() || matcher.group(1).contains("..") || matcher.group(1).contains("--")) {
                throw new IllegalArgumentException("is not hf:<user>/<repo>[:<quant>] (letters, digits, '.', '_' and '-'; "
                        + "no '..' or '--'; a name neither starts nor ends with '.' or '-')");
            }
            return new ModelRef(Kind.HF, text, null, matcher.group(1), matcher.group(2));
        }
        if (text.startsWith("/") || text.contains("\\") || text.contains(":")) {
            throw new IllegalArgumentException("must be a path relative to the models directory");
        }
        for (String segment : text.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                throw new IllegalArgumentException("must stay inside the models directory (no '..', '.' or empty segments)");
            }
        }
        if (!FILE_PATH.matcher(text).matches()) {
            throw new IllegalArgumentException("may hold only letters, digits, '.', '_', '+', '-' and '/'");
        }
        if (!text.endsWith(".gguf")) {
            throw new IllegalArgumentException("must name a .gguf file");
        }
        return new ModelRef(Kind.FILE, text, text, null, null);
    }
}
