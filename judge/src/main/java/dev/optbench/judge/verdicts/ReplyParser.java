package dev.optbench.judge.verdicts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a judge's reply as a structured verdict. Strict where leniency would guess: exactly one JSON object
 * (a bare object, one inside a code fence, or one amid prose), no duplicate keys, every required field
 * present with an allowed value. Anything else is unreadable, never a default.
 */
public final class ReplyParser {
    static final List<String> RUBRIC_CRITERIA = List.of("helpfulness", "correctness", "relevance", "fluency");
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ReplyParser() {
    }

    public static ParsedReply<PairwiseChoice> pairwise(String reply) {
        ParsedReply<JsonNode> object = singleObject(reply);
        if (!object.readable()) {
            return ParsedReply.unreadable(object.problem());
        }
        JsonNode winner = object.value().get("winner");
        if (winner == null || !winner.isTextual()) {
            return ParsedReply.unreadable("no \"winner\" string");
        }
        return switch (winner.asText().trim().toLowerCase(Locale.ROOT)) {
            case "a" -> ParsedReply.of(PairwiseChoice.A);
            case "b" -> ParsedReply.of(PairwiseChoice.B);
            case "tie" -> ParsedReply.of(PairwiseChoice.TIE);
            default -> ParsedReply.unreadable("\"winner\" is " + abbreviate(winner.asText()) + ", not A, B or tie");
        };
    }

    public static ParsedReply<RubricGrade> rubric(String reply) {
        ParsedReply<JsonNode> object = singleObject(reply);
        if (!object.readable()) {
            return ParsedReply.unreadable(object.problem());
        }
        int[] grades = new int[RUBRIC_CRITERIA.size()];
        for (int i = 0; i < grades.length; i++) {
            String criterion = RUBRIC_CRITERIA.get(i);
            JsonNode value = object.value().get(criterion);
            if (value == null || !value.isNumber()) {
                return ParsedReply.unreadable("no number for \"" + criterion + "\"");
            }
            double grade = value.asDouble();
            if (grade != Math.rint(grade) || grade < 1 || grade > 10) {
                return ParsedReply.unreadable("\"" + criterion + "\" is " + value + ", not a whole number from 1 to 10");
            }
            grades[i] = (int) grade;
        }
        return ParsedReply.of(new RubricGrade(grades[0], grades[1], grades[2], grades[3]));
    }

    private static ParsedReply<JsonNode> singleObject(String reply) {
        if (reply == null || reply.isBlank()) {
            return ParsedReply.unreadable("empty reply");
        }
        String text = stripFence(reply.strip());
        JsonNode whole = readObject(text);
        if (whole != null) {
            return ParsedReply.of(whole);
        }
        List<JsonNode> objects = new ArrayList<>();
        for (String candidate : topLevelBraces(text)) {
            JsonNode node = readObject(candidate);
            if (node != null) {
                objects.add(node);
            }
        }
        if (objects.isEmpty()) {
            return ParsedReply.unreadable("no JSON object in the reply");
        }
        if (objects.size() > 1) {
            return ParsedReply.unreadable(objects.size() + " JSON objects in the reply: ambiguous");
        }
        return ParsedReply.of(objects.get(0));
    }

    private static String stripFence(String text) {
        if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
            String inner = text.substring(3, text.length() - 3);
            int newline = inner.indexOf('\n');
            // The fence's first line may name the language (```json).
            if (newline >= 0 && inner.substring(0, newline).strip().matches("[A-Za-z]*")) {
                inner = inner.substring(newline + 1);
            }
            return inner.strip();
        }
        return text;
    }

    private static JsonNode readObject(String text) {
        try {
            JsonNode node = STRICT.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The outermost balanced {…} spans of the text, skipping braces inside JSON strings. */
    private static List<String> topLevelBraces(String text) {
        List<String> spans = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"' && depth > 0) {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if (c == '}' && depth > 0 && --depth == 0) {
                spans.add(text.substring(start, i + 1));
            }
        }
        return spans;
    }

    private static String abbreviate(String text) {
        String quoted = '"' + text + '"';
        return quoted.length() <= 40 ? quoted : quoted.substring(0, 37) + "…\"";
    }
}
