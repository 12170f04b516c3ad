package dev.optbench.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads Kubernetes YAML into fabric8's model (Strimzi's API classes for Strimzi kinds) and finds fields
 * the model does not know: fabric8 and Strimzi keep those in additionalProperties instead of failing,
 * so a misspelt field (livenessProbe as livenesProbe) would otherwise pass unseen.
 */
final class KubernetesModel {

    /** The kinds OptBench deploys; any other kind in deploy/k8s is a mistake. */
    static final Map<String, String> API_VERSION_BY_KIND = Map.ofEntries(
            Map.entry("Namespace", "v1"),
            Map.entry("ConfigMap", "v1"),
            Map.entry("Service", "v1"),
            Map.entry("PersistentVolumeClaim", "v1"),
            Map.entry("Deployment", "apps/v1"),
            Map.entry("Job", "batch/v1"),
            Map.entry("Kafka", "kafka.strimzi.io/v1"),
            Map.entry("KafkaNodePool", "kafka.strimzi.io/v1"),
            Map.entry("KafkaTopic", "kafka.strimzi.io/v1"),
            Map.entry("Cluster", "postgresql.cnpg.io/v1"),
            Map.entry("ScaledObject", "keda.sh/v1alpha1"),
            Map.entry("PodMonitor", "monitoring.coreos.com/v1"));

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    KubernetesModel() {
        serialization.registerKubernetesResource("kafka.strimzi.io/v1", "Kafka", Kafka.class);
        serialization.registerKubernetesResource("kafka.strimzi.io/v1", "KafkaNodePool", KafkaNodePool.class);
        serialization.registerKubernetesResource("kafka.strimzi.io/v1", "KafkaTopic", KafkaTopic.class);
    }

    /** Every document of a multi-document YAML text, as a typed resource (generic for kinds without a Java model). */
    List<HasMetadata> parse(String yaml) {
        return documents(yaml).stream().map(this::typed).toList();
    }

    /** Every document of a multi-document YAML text, as written. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    HasMetadata typed(Map<String, Object> document) {
        return serialization.unmarshal(serialization.asJson(document));
    }

    /** The resource as plain maps and lists, for kinds that fabric8 has no class for. */
    @SuppressWarnings("unchecked")
    Map<String, Object> asMap(HasMetadata resource) {
        if (resource instanceof GenericKubernetesResource generic) {
            Map<String, Object> map = new java.util.LinkedHashMap<>(generic.getAdditionalProperties());
            map.put("metadata", serialization.convertValue(generic.getMetadata(), Map.class));
            return map;
        }
        return serialization.convertValue(resource, Map.class);
    }

    /** Paths of fields that the typed model did not recognise, e.g. "spec.template.spec.containers[0].livenesProbe". */
    static List<String> unknownFields(Object model) {
        Set<String> found = new LinkedHashSet<>();
        collectUnknown(model, "", found, 0);
        return List.copyOf(found);
    }

    private static void collectUnknown(Object value, String path, Set<String> found, int depth) {
        if (value == null || depth > 40) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", found, depth + 1);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> collectUnknown(item, path + "." + key, found, depth + 1));
            return;
        }
        Class<?> type = value.getClass();
        if (type.isEnum() || value instanceof GenericKubernetesResource
                || !(type.getName().startsWith("io.fabric8.kubernetes.api.model") || type.getName().startsWith("io.strimzi.api"))) {
            return;
        }
        for (Method getter : type.getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !(name.startsWith("get") || name.startsWith("is"))) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> found.add(path.isEmpty() ? String.valueOf(key) : path + "." + key));
                }
                continue;
            }
            String property = name.startsWith("get") ? name.substring(3) : name.substring(2);
            collectUnknown(field, path + "." + Character.toLowerCase(property.charAt(0)) + property.substring(1), found, depth + 1);
        }
    }
}
