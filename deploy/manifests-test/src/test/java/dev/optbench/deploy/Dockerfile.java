package dev.optbench.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile read as BuildKit reads it: comments dropped, continuation lines joined, one instruction per entry. */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String instruction = current.toString().strip();
            current.setLength(0);
            int space = instruction.indexOf(' ');
            instructions.add(new Instruction(instruction.substring(0, space).toUpperCase(Locale.ROOT), instruction.substring(space + 1).strip()));
        }
        if (!current.isEmpty()) {
            throw new IllegalArgumentException("the Dockerfile ends inside a continued line");
        }
        return new Dockerfile(instructions);
    }

    /** ARGs declared before the first FROM, with their defaults: the ones a FROM line may use. */
    Map<String, String> globalArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                break;
            }
            if (instruction.keyword().equals("ARG")) {
                String[] parts = instruction.arguments().split("=", 2);
                args.put(parts[0], parts.length > 1 ? unquote(parts[1]) : null);
            }
        }
        return args;
    }

    /** Stage name → the image or stage it starts from, with the global ARGs substituted. */
    Map<String, String> stages(Map<String, String> args) {
        Map<String, String> stages = new LinkedHashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                String[] words = instruction.arguments().split("\\s+");
                String base = substitute(words[0], args);
                String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "#" + stages.size();
                stages.put(name, base);
            }
        }
        return stages;
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    static String substitute(String text, Map<String, String> args) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = args.get(name);
            if (value == null) {
                throw new IllegalArgumentException("FROM uses ${" + name + "}, which no global ARG gives a value");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(substitute(value, args)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
