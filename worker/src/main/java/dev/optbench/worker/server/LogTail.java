package dev.optbench.worker.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The end of a process log: the lines a failed trial carries, and the line that best says why it failed.
 */
public final class LogTail {
    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern ERROR_LINE = Pattern.compile(
            "(?i).*(error|failed|invalid|unknown|out of memory|cannot|can't|unable|you need|not enough|abort|exception).*");

    private LogTail() {
    }

    /** The last {@code lines} lines of a log file, empty when it does not exist. */
    public static List<String> lines(Path file, int lines) {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (start > 0 && !all.isEmpty()) {
                all = all.subList(1, all.size());
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    public static String text(Path file, int lines) {
        return String.join("\n", lines(file, lines));
    }

    /** The last line that reads like an error, without llama.cpp's timestamp and level prefix; null when none. */
    public static String errorLine(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (ERROR_LINE.matcher(line).matches() && !line.isBlank()) {
                return line.replaceFirst("^\\d+\\.\\d+\\.\\d+\\.\\d+ [A-Z] ", "").strip();
            }
        }
        return null;
    }
}
