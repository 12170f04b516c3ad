package dev.optbench.contracts.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a hub repository an {@code hf:<user>/<repo>[:<quant>]} ref names, chosen the way llama.cpp's
 * {@code -hf} chooses them (common/download.cpp of the pinned release), so a ref means the same model in OptBench
 * as on a llama-server command line: the first GGUF model file whose path holds the tag followed by '.' or '-'
 * (without a tag: Q4_K_M, then Q8_0, then the first model file), and every part of it when it is split.
 */
public final class HubFileChoice {
    private static final List<String> DEFAULT_TAGS = List.of("Q4_K_M", "Q8_0");
    private static final List<String> NOT_MODELS = List.of("mmproj", "imatrix", "mtp-", "eagle3-", "dflash-", "dspark-");
    private static final Pattern SPLIT = Pattern.compile("^(.+)-([0-9]{5})-of-([0-9]{5})$", Pattern.CASE_INSENSITIVE);

    private HubFileChoice() {
    }

    /** Part {@code index} of {@code count} of the model whose parts share {@code prefix}; 1 of 1 when not split. */
    record Split(String prefix, int index, int count) {
    }

    /**
     * @param tag the ref's quantization tag, or null
     * @return the files to download, the one llama-server loads first, in part order
     * @throws ModelHubException naming the repository's GGUF files when none matches
     */
    public static List<HubFile> choose(String repo, String tag, List<HubFile> files) {
        HubFile first = primary(tag, files);
        if (first == null) {
            List<String> available = files.stream().map(HubFile::path).filter(p -> p.endsWith(".gguf")).sorted().toList();
            throw new ModelHubException("hf:" + repo + (tag == null ? "" : ":" + tag) + " names no GGUF model file of the repository; "
                    + (available.isEmpty() ? "it has none" : "it has " + String.join(", ", available)));
        }
        Split split = split(first.path());
        if (split.count() <= 1) {
            return List.of(first);
        }
        List<HubFile> parts = new ArrayList<>();
        for (HubFile file : files) {
            Split other = split(file.path());
            if (other.count() == split.count() && other.prefix().equals(split.prefix())) {
                parts.add(file);
            }
        }
        parts.sort(Comparator.comparingInt(file -> split(file.path()).index()));
        if (parts.size() != split.count()) {
            throw new ModelHubException("hf:" + repo + ": " + first.path() + " is part 1 of " + split.count() + " but the repository has "
                    + parts.size() + " of its parts");
        }
        return List.copyOf(parts);
    }

    private static HubFile primary(String tag, List<HubFile> files) {
        for (String wanted : tag == null ? DEFAULT_TAGS : List.of(tag)) {
            Pattern pattern = Pattern.compile(Pattern.quote(wanted) + "[.-]", Pattern.CASE_INSENSITIVE);
            for (HubFile file : files) {
                if (isModel(file.path()) && pattern.matcher(file.path()).find() && split(file.path()).index() == 1) {
                    return file;
                }
            }
        }
        if (tag == null) {
            for (HubFile file : files) {
                if (isModel(file.path()) && split(file.path()).index() == 1) {
                    return file;
                }
            }
        }
        return null;
    }

    static boolean isModel(String path) {
        if (!path.endsWith(".gguf")) {
            return false;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return NOT_MODELS.stream().noneMatch(name::contains);
    }

    static Split split(String path) {
        String prefix = path.endsWith(".gguf") ? path.substring(0, path.length() - ".gguf".length()) : path;
        Matcher matcher = SPLIT.matcher(prefix);
        if (matcher.matches()) {
            return new Split(matcher.group(1).toLowerCase(Locale.ROOT), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
        }
        return new Split(prefix.toLowerCase(Locale.ROOT), 1, 1);
    }
}
