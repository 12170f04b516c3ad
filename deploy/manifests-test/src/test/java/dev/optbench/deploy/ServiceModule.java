package dev.optbench.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service module reads, from its own sources: the HTTP port and application name in
 * application.properties, and every environment variable that reaches its configuration (a
 * {@code ${OPTBENCH_X}} expression, a property key in environment form, or a {@code @ConfigMapping}
 * member, which SmallRye Config reads from the environment as PREFIX_MEMBER).
 */
record ServiceModule(String module, String applicationName, int httpPort, Set<String> environmentNames) {

    static final Map<String, String> MODULE_BY_DEPLOYMENT = Map.of(
            "orchestrator", "orchestrator", "worker", "worker", "judge", "judge", "viz", "viz-service");

    private static final Pattern ENV_EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?interface\\s+(\\w+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s*(?:[\\w.<>,?\\[\\] ]+)\\s+(\\w+)\\(\\);");

    static ServiceModule of(String module) {
        Path root = Repository.path(module);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repository.read(root.resolve("src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                names.add(environmentForm(key));
            }
            Matcher expression = ENV_EXPRESSION.matcher(properties.getProperty(key));
            while (expression.find()) {
                names.add(expression.group(1));
            }
        }
        for (Path file : javaSources(module)) {
            names.addAll(configNamesIn(Repository.read(file)));
        }
        return new ServiceModule(module, properties.getProperty("quarkus.application.name"),
                Integer.parseInt(withDefaults(properties.getProperty("quarkus.http.port"))), names);
    }

    /** A property value as the service sees it when the environment sets none of the variables it names. */
    static String withDefaults(String value) {
        return value.replaceAll("\\$\\{[A-Za-z0-9_.-]+:([^}]*)}", "$1");
    }

    static ServiceModule forDeployment(String deploymentName) {
        String base = deploymentName.startsWith("worker") ? "worker" : deploymentName;
        String module = MODULE_BY_DEPLOYMENT.get(base);
        if (module == null) {
            throw new IllegalArgumentException("no service module for " + deploymentName);
        }
        return of(module);
    }

    /** The module's main Java sources; none for a module that has no Java code yet. */
    static List<Path> javaSources(String module) {
        Path sources = Repository.path(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean reads(String environmentName) {
        return environmentNames.contains(environmentName);
    }

    /** The image name Jib gives the service under -Pimages: group optbench, name = application name. */
    String imageRepository() {
        return "optbench/" + applicationName;
    }

    static String environmentForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Members of @ConfigMapping interfaces (nested groups included) and @ConfigProperty names in one source file. */
    static Set<String> configNamesIn(String source) {
        Set<String> names = new TreeSet<>();
        Matcher property = CONFIG_PROPERTY.matcher(source);
        while (property.find()) {
            names.add(environmentForm(property.group(1)));
        }
        Matcher mapping = CONFIG_MAPPING.matcher(source);
        if (!mapping.find()) {
            return names;
        }
        String prefix = mapping.group(1);
        Map<String, Map<String, String>> membersByInterface = new HashMap<>();
        Deque<String> open = new ArrayDeque<>();
        String topInterface = null;
        int depth = 0;
        for (String line : source.split("\n")) {
            Matcher declared = INTERFACE.matcher(line);
            if (declared.find()) {
                open.push(declared.group(1) + "@" + depth);
                if (topInterface == null) {
                    topInterface = declared.group(1);
                }
            }
            Matcher member = MEMBER.matcher(line);
            if (member.find() && !open.isEmpty()) {
                String owner = open.peek().substring(0, open.peek().indexOf('@'));
                String type = line.trim().split("\\s+")[0];
                membersByInterface.computeIfAbsent(owner, k -> new HashMap<>()).put(member.group(1), type);
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!open.isEmpty() && open.peek().endsWith("@" + depth)) {
                        open.pop();
                    }
                }
            }
        }
        addMembers(prefix, topInterface, membersByInterface, names, 0);
        return names;
    }

    private static void addMembers(String prefix, String owner, Map<String, Map<String, String>> membersByInterface,
            Set<String> names, int depth) {
        if (owner == null || depth > 4) {
            return;
        }
        membersByInterface.getOrDefault(owner, Map.of()).forEach((member, type) -> {
            String name = prefix + "." + kebab(member);
            if (membersByInterface.containsKey(type)) {
                addMembers(name, type, membersByInterface, names, depth + 1);
            } else {
                names.add(environmentForm(name));
            }
        });
    }
}
