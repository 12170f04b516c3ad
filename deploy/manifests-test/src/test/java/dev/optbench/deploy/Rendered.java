package dev.optbench.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One overlay as kustomize renders it. */
record Rendered(String overlay, List<HasMetadata> resources, KubernetesModel model) {

    List<HasMetadata> ofKind(String kind) {
        return resources.stream().filter(resource -> resource.getKind().equals(kind)).toList();
    }

    List<Map<String, Object>> mapsOfKind(String kind) {
        return ofKind(kind).stream().map(model::asMap).toList();
    }

    List<Deployment> deployments() {
        return ofKind("Deployment").stream().map(Deployment.class::cast).toList();
    }

    /** The Deployments of OptBench's own services (the workers included), not of what they use (Ollama). */
    List<Deployment> serviceDeployments() {
        return deployments().stream().filter(d -> !d.getMetadata().getName().equals("ollama")).toList();
    }

    List<Deployment> workers() {
        return deployments().stream().filter(d -> d.getMetadata().getName().startsWith("worker-")).toList();
    }

    Optional<HasMetadata> named(String kind, String name) {
        return ofKind(kind).stream().filter(resource -> resource.getMetadata().getName().equals(name)).findFirst();
    }

    Map<String, String> config() {
        return ((ConfigMap) named("ConfigMap", "optbench-config").orElseThrow(
                () -> new AssertionError(overlay + ": no ConfigMap optbench-config"))).getData();
    }

    String namespace() {
        return ofKind("Namespace").getFirst().getMetadata().getName();
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> map, String path) {
        Object current = map;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> m) {
                current = ((Map<String, Object>) m).get(part);
            } else if (current instanceof List<?> list && part.matches("\\d+")) {
                int index = Integer.parseInt(part);
                current = index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
        }
        return current;
    }
}
