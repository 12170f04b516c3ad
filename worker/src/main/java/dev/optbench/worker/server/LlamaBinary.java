package dev.optbench.worker.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's llama.cpp build: where its tools are, which version it is, and the flags its
 * {@code llama-server --help} lists, with their value syntax.
 */
public record LlamaBinary(Path binDir, String version, String commit, String backend, Map<String, FlagSyntax> flags) {

    private static final Pattern VERSION = Pattern.compile("version:\\s*(\\S+)\\s*\\(([^)]*)\\)");
    private static final Pattern COMMIT = Pattern.compile("(?:commit\\s+)?\\b([0-9a-f]{7,40})\\b");
    private static final Pattern HELP_COLUMN_END = Pattern.compile("\\s{2,}");

    public Path server() {
        return binDir.resolve("llama-server");
    }

    public Path quantize() {
        return binDir.resolve("llama-quantize");
    }

    public Path perplexity() {
        return binDir.resolve("llama-perplexity");
    }

    public boolean accepts(String flag) {
        return flags.containsKey(flag);
    }

    public FlagSyntax syntax(String flag) {
        return flags.get(flag);
    }

    /** Every flag name the binary lists, long and short forms, sorted. */
    public List<String> acceptedFlags() {
        return flags.keySet().stream().sorted().toList();
    }

    /** Runs {@code llama-server --version} and {@code --help} from {@code binDir}. */
    public static LlamaBinary probe(Path binDir, Duration timeout) throws IOException {
        Path server = binDir.resolve("llama-server");
        if (!Files.isExecutable(server)) {
            throw new IOException("no executable llama-server in " + binDir + " (set optbench.worker.llama-bin-dir or OPTBENCH_LLAMA_BIN_DIR)");
        }
        String versionText = output(List.of(server.toString(), "--version"), timeout);
        String helpText = output(List.of(server.toString(), "--help"), timeout);
        String[] version = parseVersion(versionText);
        return new LlamaBinary(binDir, version[0], version[1], backendOf(binDir), parseHelp(helpText));
    }

    /** {@code version: 0.5.0-dev (build 1, commit de3ff81)} → [0.5.0-dev, de3ff81]; older builds print {@code version: 4567 (abc1234)}. */
    static String[] parseVersion(String text) {
        Matcher matcher = VERSION.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("llama-server --version printed no version line: " + text.strip());
        }
        Matcher commit = COMMIT.matcher(matcher.group(2));
        String hash = null;
        while (commit.find()) {
            hash = commit.group(1);
        }
        return new String[] {matcher.group(1), hash};
    }

    /**
     * Reads the first column of each option line: {@code -fa,   --flash-attn [on|off|auto]} gives
     * {@code -fa} and {@code --flash-attn}, both with an optional value of on, off or auto.
     */
    public static Map<String, FlagSyntax> parseHelp(String help) {
        Map<String, FlagSyntax> flags = new LinkedHashMap<>();
        for (String line : help.split("\\R")) {
            if (!line.startsWith("-") || line.startsWith("---")) {
                continue;
            }
            // Spellings are padded after their commas ("-t,    --threads N"); the description follows 2+ spaces.
            String column = HELP_COLUMN_END.split(line.replaceAll(",\\s+", ", "), 2)[0].strip();
            List<String[]> names = new ArrayList<>();
            for (String part : column.split(",\\s*(?=-)")) {
                String[] words = part.strip().split("\\s+", 2);
                if (words[0].startsWith("-") && words[0].length() > 1) {
                    names.add(words);
                }
            }
            // The value placeholder follows the last spelling: "--save-all-logits, --kl-divergence-base FNAME".
            String placeholder = names.isEmpty() ? null : names.getLast().length > 1 ? names.getLast()[1].strip() : null;
            for (String[] name : names) {
                String value = name.length > 1 ? name[1].strip() : placeholder;
                flags.putIfAbsent(name[0], syntaxOf(name[0], value));
            }
        }
        return Map.copyOf(flags);
    }

    private static FlagSyntax syntaxOf(String name, String placeholder) {
        if (placeholder == null || placeholder.isEmpty()) {
            return new FlagSyntax(name, FlagSyntax.Arity.NONE, List.of());
        }
        if (placeholder.startsWith("[") && placeholder.endsWith("]")) {
            return new FlagSyntax(name, FlagSyntax.Arity.OPTIONAL, choices(placeholder.substring(1, placeholder.length() - 1)));
        }
        if (placeholder.startsWith("{") && placeholder.endsWith("}")) {
            return new FlagSyntax(name, FlagSyntax.Arity.REQUIRED, choices(placeholder.substring(1, placeholder.length() - 1)));
        }
        return new FlagSyntax(name, FlagSyntax.Arity.REQUIRED, List.of());
    }

    private static List<String> choices(String inner) {
        if (!inner.contains("|") && !inner.contains(",")) {
            return List.of();
        }
        return Arrays.stream(inner.split("[|,]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String backendOf(Path binDir) {
        for (String backend : List.of("cuda", "hip", "vulkan", "metal", "sycl")) {
            if (Files.exists(binDir.resolve("libggml-" + backend + ".so"))) {
                return backend;
            }
        }
        return "cpu";
    }

    private static String output(List<String> argv, Duration timeout) throws IOException {
        Path out = Files.createTempFile("optbench-llama-", ".txt");
        Process process = ChildEnvironment.withoutOurSettings(new ProcessBuilder(argv)).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(String.join(" ", argv) + " did not exit within " + timeout);
            }
            return new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv, e);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }
}
