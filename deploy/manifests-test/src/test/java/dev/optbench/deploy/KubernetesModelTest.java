package dev.optbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks the manifest tests rely on catch what they are meant to catch. */
class KubernetesModelTest {

    private final KubernetesModel model = new KubernetesModel();

    @Test
    void findsAMisspeltFieldInADeployment() {
        HasMetadata deployment = model.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenesProbe: {httpGet: {path: /q/health/live, port: http}}
                """).getFirst();
        assertTrue(deployment instanceof Deployment);
        assertEquals(List.of(".spec.template.spec.containers[0].livenesProbe"), KubernetesModel.unknownFields(deployment));
    }

    @Test
    void readsStrimziKindsWithStrimzisClassesAndFindsTheirMisspeltFields() {
        HasMetadata topic = model.parse("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: c}}
                spec: {partitons: 4, replicas: 1}
                """).getFirst();
        assertTrue(topic instanceof KafkaTopic);
        assertEquals(List.of(".spec.partitons"), KubernetesModel.unknownFields(topic));
    }

    @Test
    void readsKindsWithoutAJavaModelGenerically() {
        HasMetadata scaledObject = model.parse("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec: {scaleTargetRef: {name: worker}}
                """).getFirst();
        assertTrue(scaledObject instanceof GenericKubernetesResource);
        assertEquals("worker", Rendered.at(model.asMap(scaledObject), "spec.scaleTargetRef.name"));
    }

    @Test
    void reportsAKustomizationThatNamesAMissingPath(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("base"));
        Files.writeString(dir.resolve("base/kustomization.yaml"), "resources:\n  - deployment.yaml\n");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - base\n  - gone\n");
        List<String> missing = Kustomize.missingReferences(dir);
        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.stream().anyMatch(m -> m.contains("deployment.yaml")));
        assertTrue(missing.stream().anyMatch(m -> m.contains("gone")));
    }

    @Test
    void aPathWithoutKubectlFailsTheOverlayTestsSayingHowToInstallIt(@TempDir Path dir) {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> Kustomize.kubectl(dir + ":" + dir.resolve("gone")));
        assertTrue(missing.getMessage().contains("install a recent kubectl"), missing.getMessage());
    }

    @Test
    void findsTheFirstExecutableKubectlOnThePath(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/kubectl"), "not executable");
        Path kubectl = Files.createDirectories(dir.resolve("b")).resolve("kubectl");
        Files.writeString(kubectl, "#!/bin/sh\n");
        kubectl.toFile().setExecutable(true);
        assertEquals(kubectl, Kustomize.kubectl(dir.resolve("a") + ":" + dir.resolve("b")));
    }

    @Test
    void collectsEnvironmentNamesOfAConfigMappingWithNestedGroups() {
        Set<String> names = ServiceModule.configNamesIn("""
                @ConfigMapping(prefix = "optbench.worker")
                public interface WorkerConfig {
                    @WithDefault("cpu")
                    String pool();

                    Path llamaBinDir();

                    Server server();

                    interface Server {
                        Duration healthTimeout();
                    }
                }
                """);
        assertEquals(Set.of("OPTBENCH_WORKER_POOL", "OPTBENCH_WORKER_LLAMA_BIN_DIR", "OPTBENCH_WORKER_SERVER_HEALTH_TIMEOUT"), names);
    }
}
