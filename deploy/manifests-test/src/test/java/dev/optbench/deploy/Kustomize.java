package dev.optbench.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/** Kustomize: the references a kustomization makes, and its rendering by kubectl's built-in kustomize. */
final class Kustomize {

    private Kustomize() {
    }

    /**
     * kubectl on PATH: its kustomize renders the overlays exactly as a cluster would get them. Without it the overlay
     * tests fail rather than skip, so a machine without kubectl cannot pass them unchecked.
     */
    static Path kubectl() {
        return kubectl(System.getenv().getOrDefault("PATH", ""));
    }

    static Path kubectl(String path) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("kubectl is not on PATH (" + path + "), and the overlay tests render deploy/k8s with "
                + "'kubectl kustomize': install a recent kubectl (its kustomize must know 'replacements' and 'labels', so not "
                + "Debian's kubernetes-client 1.20), from the Kubernetes release binaries or the kubectl package of the "
                + "Google Cloud CLI's apt repository, which the project's machines carry as /usr/bin/kubectl");
    }

    static String render(Path kubectl, Path kustomization) {
        try {
            Path output = Files.createTempFile("kustomize", ".yaml");
            Path errors = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                        .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("kubectl kustomize " + kustomization + " took over 60 s");
                    }
                } finally {
                    process.destroyForcibly();
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: "
                            + Files.readString(errors, StandardCharsets.UTF_8));
                }
                return Files.readString(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every path a kustomization and the kustomizations it includes name that does not exist. */
    static List<String> missingReferences(Path kustomizationDir) {
        List<String> missing = new ArrayList<>();
        collectMissing(kustomizationDir.toAbsolutePath().normalize(), missing, 0);
        return missing;
    }

    @SuppressWarnings("unchecked")
    private static void collectMissing(Path dir, List<String> missing, int depth) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            missing.add(file + " (no kustomization.yaml)");
            return;
        }
        if (depth > 10) {
            missing.add(dir + " (kustomizations nested too deep: a cycle?)");
            return;
        }
        Map<String, Object> kustomization = new Yaml().load(Repository.read(file));
        List<String> references = new ArrayList<>();
        for (String key : List.of("resources", "components", "configurations")) {
            references.addAll((List<String>) kustomization.getOrDefault(key, List.of()));
        }
        for (Map<String, Object> generator : (List<Map<String, Object>>) kustomization.getOrDefault("configMapGenerator", List.of())) {
            for (String entry : (List<String>) generator.getOrDefault("files", List.of())) {
                references.add(entry.contains("=") ? entry.substring(entry.indexOf('=') + 1) : entry);
            }
        }
        for (String reference : references) {
            Path target = dir.resolve(reference).normalize();
            if (Files.isDirectory(target)) {
                collectMissing(target, missing, depth + 1);
            } else if (!Files.isRegularFile(target)) {
                missing.add(file + " names " + reference + ", which does not exist");
            }
        }
    }
}
