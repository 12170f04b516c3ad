package dev.optbench.orchestrator.prompts;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.optbench.contracts.messages.Messages;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The prompt sets OptBench ships, read once from {@code prompt-sets/<name>.json} on the classpath. */
@ApplicationScoped
public class PromptSetCatalogue {
    public static final String BUILTIN_PREFIX = "builtin:";
    private static final List<String> SHIPPED = List.of("assistant-mix", "classification", "long-context");

    private final Map<String, PromptSet> sets = new LinkedHashMap<>();

    public PromptSetCatalogue() {
        for (String name : SHIPPED) {
            sets.put(name, load(name));
        }
    }

    public List<PromptSet> all() {
        return List.copyOf(sets.values());
    }

    /** A set by its name or by {@code builtin:<name>}. */
    public Optional<PromptSet> find(String nameOrRef) {
        String name = nameOrRef.startsWith(BUILTIN_PREFIX) ? nameOrRef.substring(BUILTIN_PREFIX.length()) : nameOrRef;
        return Optional.ofNullable(sets.get(name));
    }

    private static PromptSet load(String name) {
        String resource = "/prompt-sets/" + name + ".json";
        try (InputStream in = PromptSetCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            PromptSet set = Messages.mapper().readValue(in, new TypeReference<PromptSet>() { });
            if (!set.name().equals(name) || set.conversations().isEmpty()) {
                throw new IllegalStateException(resource + " must be named " + name + " and hold conversations");
            }
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
