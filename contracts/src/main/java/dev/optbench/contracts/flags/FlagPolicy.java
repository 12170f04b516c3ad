package dev.optbench.contracts.flags;

import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.spec.ModelRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that decides which llama-server flags a run spec may set and what values they take.
 * The API validates with it before storing a run; the worker normalises with it before starting a server.
 * Flags that write files, open tools or network access, or that the worker owns (host, port, model, logging)
 * are refused with their reason; flags not in the allowlist are refused as unknown.
 */
public final class FlagPolicy {
    private static final int MAX_VALUE_LENGTH = 256;
    private static final FlagPolicy PINNED_RELEASE = load();

    private final Map<String, FlagRule> allowed;
    private final Map<String, String> forbidden;

    private FlagPolicy(Map<String, FlagRule> allowed, Map<String, String> forbidden) {
        this.allowed = Map.copyOf(allowed);
        this.forbidden = Map.copyOf(forbidden);
    }

    /** The policy for the llama.cpp release OptBench pins. */
    public static FlagPolicy pinnedRelease() {
        return PINNED_RELEASE;
    }

    /** A flag that failed validation, with a message that says why and what is expected. */
    public record Violation(String flag, String message) {
    }

    /** The rule for a flag by any of its names, or null when the flag is not allowed. */
    public FlagRule rule(String name) {
        return allowed.get(name);
    }

    /** Every forbidden flag name (long and short forms) with the reason a run spec is given. */
    public Map<String, String> forbidden() {
        return forbidden;
    }

    /** Every canonical name of an allowed flag. */
    public Set<String> canonicalNames() {
        Set<String> names = new LinkedHashSet<>();
        allowed.values().forEach(rule -> names.add(rule.canonicalName()));
        return names;
    }

    /**
     * Checks a variant's flags as the user wrote them.
     *
     * @param acceptedByWorkers the flags the pool's llama-server lists in {@code --help}, or null before any
     *                          worker of the pool has announced them
     * @return every violation, empty when all flags are fine
     */
    public List<Violation> check(Map<String, Object> flags, Collection<String> acceptedByWorkers) {
        List<Violation> violations = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, Object> entry : flags.entrySet()) {
            try {
                Flag flag = normalise(entry.getKey(), entry.getValue());
                if (!seen.add(flag.name())) {
                    violations.add(new Violation(entry.getKey(), "is given twice (as another spelling of " + flag.name() + ")"));
                } else if (acceptedByWorkers != null && !acceptedByWorkers.isEmpty()
                        && allowed.get(flag.name()).names().stream().noneMatch(acceptedByWorkers::contains)) {
                    violations.add(new Violation(entry.getKey(), "is not accepted by the llama-server of this pool's workers"));
                }
            } catch (FlagRejectedException e) {
                violations.add(new Violation(entry.getKey(), e.getMessage()));
            }
        }
        return violations;
    }

    /** Normalises every flag, in order; throws on the first that is not allowed. */
    public List<Flag> normaliseAll(Map<String, Object> flags) {
        List<Flag> normalised = new ArrayList<>(flags.size());
        flags.forEach((name, value) -> normalised.add(normalise(name, value)));
        return List.copyOf(normalised);
    }

    /**
     * One flag in canonical form: its canonical long name and its value as llama-server reads it,
     * null for a switch.
     *
     * @throws FlagRejectedException when the flag is forbidden, unknown, or its value is of the wrong kind
     */
    public Flag normalise(String name, Object value) {
        if (name == null || !name.startsWith("-")) {
            throw new FlagRejectedException("is not a flag: flags start with - or --");
        }
        String reason = forbidden.get(name);
        if (reason != null) {
            throw new FlagRejectedException("is not allowed: " + reason);
        }
        FlagRule rule = allowed.get(name);
        if (rule == null) {
            throw new FlagRejectedException("is not a llama-server flag that OptBench allows (see GET /api/flags)");
        }
        return new Flag(rule.canonicalName(), value(rule, value));
    }

    private static String value(FlagRule rule, Object value) {
        if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
            throw rejected(rule);
        }
        if (value instanceof String text && (text.length() > MAX_VALUE_LENGTH || text.chars().anyMatch(Character::isISOControl))) {
            throw new FlagRejectedException("has a value that is too long or holds control characters");
        }
        String text = value == null ? null : value.toString().trim();
        return switch (rule.kind()) {
            case SWITCH -> {
                if (value == null || Boolean.TRUE.equals(value)) {
                    yield null;
                }
                throw new FlagRejectedException("takes no value: write null, or leave the flag out");
            }
            case OPTIONAL_ENUM -> {
                if (value == null || Boolean.TRUE.equals(value)) {
                    yield rule.defaultChoice();
                }
                if (Boolean.FALSE.equals(value) && rule.choices().contains("off")) {
                    yield "off";
                }
                yield choice(rule, text);
            }
            case ENUM -> choice(rule, text);
            case ENUM_LIST -> {
                if (text == null || text.isEmpty()) {
                    throw rejected(rule);
                }
                for (String part : text.split(",", -1)) {
                    choice(rule, part.trim());
                }
                yield text.replace(" ", "");
            }
            case INT -> integer(rule, value, text);
            case INT_OR_ENUM -> text != null && rule.choices().contains(text) ? text : integer(rule, value, text);
            case NUMBER -> number(rule, value, text).stripTrailingZeros().toPlainString();
            case NUMBER_LIST -> {
                if (text == null || text.isEmpty()) {
                    throw rejected(rule);
                }
                List<String> parts = new ArrayList<>();
                for (String part : text.split(",", -1)) {
                    parts.add(number(rule, part.trim(), part.trim()).stripTrailingZeros().toPlainString());
                }
                yield String.join(",", parts);
            }
            case PATTERN -> {
                if (!(value instanceof String) || !rule.pattern().matcher(text).matches()) {
                    throw rejected(rule);
                }
                yield text;
            }
            case MODEL -> {
                if (!(value instanceof String)) {
                    throw rejected(rule);
                }
                try {
                    ModelRef ref = ModelRef.parse(text);
                    if (ref.kind() != ModelRef.Kind.FILE) {
                        throw new FlagRejectedException("must name a model file under the models directory");
                    }
                    yield ref.text();
                } catch (IllegalArgumentException e) {
                    throw new FlagRejectedException(e.getMessage());
                }
            }
        };
    }

    private static String choice(FlagRule rule, String text) {
        if (text == null || !rule.choices().contains(text)) {
            throw rejected(rule);
        }
        return text;
    }

    private static String integer(FlagRule rule, Object value, String text) {
        BigDecimal number = number(rule, value, text);
        if (number.stripTrailingZeros().scale() > 0) {
            throw rejected(rule);
        }
        return number.toBigInteger().toString();
    }

    private static BigDecimal number(FlagRule rule, Object value, String text) {
        if (value == null || value instanceof Boolean || text == null || text.isEmpty() || text.length() > 32) {
            throw rejected(rule);
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw rejected(rule);
        }
        if (number.compareTo(rule.min()) < 0 || number.compareTo(rule.max()) > 0) {
            throw rejected(rule);
        }
        return number;
    }

    private static FlagRejectedException rejected(FlagRule rule) {
        return new FlagRejectedException("takes " + rule.expected());
    }

    private static FlagPolicy load() {
        Map<String, FlagRule> allowed = new HashMap<>();
        for (String[] columns : rows("allowed-flags.tsv")) {
            List<String> names = Arrays.asList(columns[0].split(","));
            FlagRule rule = parseRule(names, columns[1]);
            names.forEach(name -> allowed.put(name, rule));
        }
        Map<String, String> forbidden = new HashMap<>();
        for (String[] columns : rows("forbidden-flags.tsv")) {
            for (String name : columns[0].split(",")) {
                forbidden.put(name, columns[1]);
            }
        }
        return new FlagPolicy(allowed, forbidden);
    }

    private static FlagRule parseRule(List<String> names, String spec) {
        String[] parts = spec.split(" ");
        FlagRule.Kind kind = FlagRule.Kind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        return switch (kind) {
            case SWITCH, MODEL -> new FlagRule(names, kind, null, null, List.of(), null, null);
            case INT, NUMBER, NUMBER_LIST -> new FlagRule(names, kind, new BigDecimal(parts[1]), new BigDecimal(parts[2]), List.of(), null, null);
            case ENUM, ENUM_LIST -> new FlagRule(names, kind, null, null, List.of(parts[1].split("\\|")), null, null);
            case OPTIONAL_ENUM -> new FlagRule(names, kind, null, null, List.of(parts[2].split("\\|")), parts[1], null);
            case INT_OR_ENUM -> new FlagRule(names, kind, new BigDecimal(parts[1]), new BigDecimal(parts[2]), List.of(parts[3].split("\\|")), null, null);
            case PATTERN -> new FlagRule(names, kind, null, null, List.of(), null, Pattern.compile(parts[1]));
        };
    }

    private static List<String[]> rows(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = FlagPolicy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] columns = line.split("\t");
                    if (columns.length != 2) {
                        throw new IllegalStateException(resource + ": expected two tab-separated columns in: " + line);
                    }
                    rows.add(columns);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
