package dev.optbench.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as Compose reads it: YAML with merge keys, then variable interpolation
 * (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, and $$ for a literal $).
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private ComposeFile() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text, Map<String, String> environment) {
        Map<String, Object> document = new Yaml(new LoaderOptions()).load(text);
        return (Map<String, Object>) interpolate(document, environment);
    }

    private static Object interpolate(Object value, Map<String, String> environment) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((key, item) -> result.put(String.valueOf(key), interpolate(item, environment)));
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            list.forEach(item -> result.add(interpolate(item, environment)));
            return result;
        }
        if (value instanceof String text) {
            return interpolate(text, environment);
        }
        return value;
    }

    static String interpolate(String text, Map<String, String> environment) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else {
                String name = matcher.group(1);
                String operator = matcher.group(2);
                String argument = matcher.group(3);
                String set = environment.get(name);
                boolean missing = set == null || (set.isEmpty() && operator != null && operator.startsWith(":"));
                if (!missing) {
                    replacement = set;
                } else if (operator == null) {
                    replacement = "";
                } else if (operator.endsWith("-")) {
                    replacement = interpolate(argument, environment);
                } else {
                    throw new IllegalArgumentException("required variable " + name + " is missing: " + argument);
                }
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
