package dev.optbench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the literals people already write for flag variants, in Python or JSON spelling:
 * {@code [{'--flash-attn': None, '--threads': 4}]}. Dicts keep their key order; None, True and False
 * (and null, true, false) become null and booleans; numbers become Long or Double.
 */
public final class PythonLiteral {
    private final String text;
    private int position;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the position of the first thing that is not a literal */
    public static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected text after the literal");
        }
        return value;
    }

    /** A list of flag dicts, each becoming one variant's flags. */
    @SuppressWarnings("unchecked")
    public static List<LinkedHashMap<String, Object>> parseFlagDicts(String text) {
        Object value = parse(text);
        List<Object> items = value instanceof List<?> list ? (List<Object>) list : List.of(value);
        List<LinkedHashMap<String, Object>> dicts = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof LinkedHashMap<?, ?> dict)) {
                throw new IllegalArgumentException("expected a list of dicts like [{'--flash-attn': None}], found " + describe(item));
            }
            for (Object key : dict.keySet()) {
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException("flag names must be strings, found " + describe(key));
                }
            }
            dicts.add((LinkedHashMap<String, Object>) dict);
        }
        return dicts;
    }

    private static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName() + " " + value;
    }

    private Object value() {
        skipSpace();
        if (position >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '[', '(' -> sequence(c == '[' ? ']' : ')');
            case '{' -> dict();
            case '\'', '"' -> string(c);
            default -> c == '-' || c == '+' || c == '.' || Character.isDigit(c) ? number() : word();
        };
    }

    private List<Object> sequence(char close) {
        position++;
        List<Object> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek(close)) {
                position++;
                return items;
            }
            items.add(value());
            skipSpace();
            if (peek(',')) {
                position++;
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
        }
    }

    private Map<Object, Object> dict() {
        position++;
        LinkedHashMap<Object, Object> dict = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek('}')) {
                position++;
                return dict;
            }
            Object key = value();
            skipSpace();
            if (!peek(':')) {
                throw error("expected ':'");
            }
            position++;
            if (dict.containsKey(key)) {
                throw error("key " + key + " appears twice");
            }
            dict.put(key, value());
            skipSpace();
            if (peek(',')) {
                position++;
            } else if (!peek('}')) {
                throw error("expected ',' or '}'");
            }
        }
    }

    private String string(char quote) {
        int start = position++;
        StringBuilder out = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && position < text.length()) {
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                    }
                    default -> out.append(escaped);
                }
            } else {
                out.append(c);
            }
        }
        position = start;
        throw error("unterminated string");
    }

    private Object number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE_".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String literal = text.substring(start, position).replace("_", "");
        try {
            if (literal.contains(".") || literal.contains("e") || literal.contains("E")) {
                return Double.parseDouble(literal);
            }
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            position = start;
            throw error("not a number: " + literal);
        }
    }

    private Object word() {
        int start = position;
        while (position < text.length() && Character.isLetter(text.charAt(position))) {
            position++;
        }
        String word = text.substring(start, position);
        return switch (word) {
            case "None", "null" -> null;
            case "True", "true" -> Boolean.TRUE;
            case "False", "false" -> Boolean.FALSE;
            default -> {
                position = start;
                throw error("unexpected " + (word.isEmpty() ? "'" + text.charAt(start) + "'" : word));
            }
        };
    }

    private boolean peek(char c) {
        return position < text.length() && text.charAt(position) == c;
    }

    private void skipSpace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at character " + (position + 1) + " of: " + text);
    }
}
