package dev.optbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesManifestsTest {

    private static final Path K8S = Repository.path("deploy/k8s");
    private static final String GPU = "nvidia.com/gpu";
    private static final Pattern JOBS_GROUP = Pattern.compile("jobsGroup\\(\\)\\s*\\{\\s*return\\s*\"([^\"]+)\"\\s*\\+\\s*pool;");
    private static final Pattern JOBS_OFFSET_RESET = Pattern.compile("AUTO_OFFSET_RESET_CONFIG,\\s*\"(\\w+)\"");
    /** Environment a JVM reads by itself rather than a service's configuration. */
    private static final Set<String> JVM_ENVIRONMENT = Set.of("JAVA_TOOL_OPTIONS");

    private static final KubernetesModel MODEL = new KubernetesModel();
    private static final Map<String, Rendered> RENDERED = new HashMap<>();

    private static Rendered rendered(String overlay) {
        Path kubectl = Kustomize.kubectl();
        return RENDERED.computeIfAbsent(overlay, name -> new Rendered(name,
                MODEL.parse(Kustomize.render(kubectl, K8S.resolve("overlays").resolve(name))), MODEL));
    }

    @Test
    void everyManifestParsesIntoTheModelsWithoutUnknownFields() throws IOException {
        List<String> problems = new ArrayList<>();
        int documents = 0;
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("kustomization.yaml") || name.equals("kustomizeconfig.yaml")) {
                    continue;
                }
                for (Map<String, Object> document : KubernetesModel.documents(Repository.read(file))) {
                    documents++;
                    HasMetadata resource = MODEL.typed(document);
                    String where = K8S.relativize(file) + " " + resource.getKind() + "/" + resource.getMetadata().getName();
                    String expectedApiVersion = KubernetesModel.API_VERSION_BY_KIND.get(resource.getKind());
                    if (!document.get("apiVersion").equals(expectedApiVersion)) {
                        problems.add(where + ": apiVersion " + document.get("apiVersion") + ", expected " + expectedApiVersion);
                    }
                    boolean typed = !(resource instanceof GenericKubernetesResource);
                    boolean modelled = Set.of("v1", "apps/v1", "batch/v1", "kafka.strimzi.io/v1").contains(expectedApiVersion);
                    if (modelled && !typed) {
                        problems.add(where + ": read as a generic resource, not by its model class");
                    }
                    KubernetesModel.unknownFields(resource).forEach(field -> problems.add(where + ": unknown field " + field));
                }
            }
        }
        assertTrue(documents >= 20, "only " + documents + " manifests found under " + K8S);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyKustomizationNamesOnlyPathsThatExist() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .forEach(f -> missing.addAll(Kustomize.missingReferences(f.getParent())));
        }
        assertEquals(List.of(), missing);
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            assertEquals(Set.of("dev", "prod"), overlays.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayRendersEveryPartOfTheSystem(String overlay) {
        Rendered rendered = rendered(overlay);
        List<String> names = rendered.deployments().stream().map(d -> d.getMetadata().getName()).toList();
        for (String service : List.of("orchestrator", "judge", "viz", "ollama")) {
            assertTrue(names.contains(service), overlay + " lacks Deployment " + service + ": " + names);
        }
        assertFalse(rendered.workers().isEmpty(), overlay + " has no worker pool");
        for (String kind : List.of("Kafka", "KafkaNodePool", "Cluster", "ScaledObject", "PodMonitor", "Service")) {
            assertFalse(rendered.ofKind(kind).isEmpty(), overlay + " has no " + kind);
        }
        for (HasMetadata resource : rendered.resources()) {
            if (!resource.getKind().equals("Namespace")) {
                assertEquals(rendered.namespace(), resource.getMetadata().getNamespace(),
                        overlay + ": " + resource.getKind() + "/" + resource.getMetadata().getName() + " is outside the namespace");
            }
            String text = MODEL.asMap(resource).toString();
            assertFalse(text.contains("set-by-the-pool"), overlay + ": a pool placeholder survived in "
                    + resource.getKind() + "/" + resource.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachWorkerOwnsOneGpuOnItsPoolsNodesAndReadsTheModelsVolume(String overlay) {
        Rendered rendered = rendered(overlay);
        String modelsDir = rendered.config().get("OPTBENCH_MODELS_DIR");
        for (Deployment worker : rendered.workers()) {
            String name = worker.getMetadata().getName();
            PodSpec pod = worker.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().getFirst();
            assertEquals(new Quantity("1"), container.getResources().getLimits().get(GPU), name + ": GPU limit");
            assertEquals(new Quantity("1"), container.getResources().getRequests().get(GPU), name + ": GPU request");
            String product = pod.getNodeSelector() == null ? null : pod.getNodeSelector().get("nvidia.com/gpu.product");
            assertNotNull(product, name + ": no node selector on the pool's GPU type");
            Volume models = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null
                    && v.getPersistentVolumeClaim().getClaimName().equals("optbench-models")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": the models PVC is not mounted"));
            VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals(models.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": the models volume has no mount"));
            assertEquals(modelsDir, mount.getMountPath(), name + ": models mounted where OPTBENCH_MODELS_DIR does not point");
            assertTrue(worker.getSpec().getReplicas() == null, name + ": replicas are KEDA's to set, not the manifest's");
        }
        Map<String, Object> claim = rendered.named("PersistentVolumeClaim", "optbench-models").map(MODEL::asMap)
                .orElseThrow(() -> new AssertionError(overlay + ": no PVC optbench-models"));
        assertEquals(List.of("ReadWriteMany"), Rendered.at(claim, "spec.accessModes"), "every worker pod mounts the models");
        Set<String> products = new TreeSet<>();
        rendered.workers().forEach(w -> assertTrue(products.add(w.getSpec().getTemplate().getSpec().getNodeSelector()
                .get("nvidia.com/gpu.product")), overlay + ": two pools select the same GPU type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachPoolHasItsJobTopicAndScalesToZeroOnItsConsumerLag(String overlay) {
        Rendered rendered = rendered(overlay);
        String bootstrap = rendered.config().get("OPTBENCH_KAFKA_BOOTSTRAP");
        String kafkaName = rendered.ofKind("Kafka").getFirst().getMetadata().getName();
        assertEquals(kafkaName + "-kafka-bootstrap." + rendered.namespace() + ".svc:9092", bootstrap,
                "the bootstrap address is Strimzi's bootstrap Service of the cluster, in this namespace");
        Map<String, Map<String, Object>> topics = topicsByName(rendered);
        List<Map<String, Object>> scaledObjects = rendered.mapsOfKind("ScaledObject");
        assertEquals(rendered.workers().size(), scaledObjects.size(), overlay + ": one ScaledObject per pool");
        for (Deployment worker : rendered.workers()) {
            String name = worker.getMetadata().getName();
            String pool = env(worker, "OPTBENCH_WORKER_POOL");
            assertNotNull(pool, name + " does not say its pool");
            assertEquals(pool, worker.getSpec().getTemplate().getMetadata().getLabels().get("optbench.dev/pool"), name + ": pool label");
            String topic = Topics.jobs(pool);
            Map<String, Object> kafkaTopic = topics.get(topic);
            assertNotNull(kafkaTopic, overlay + ": no KafkaTopic " + topic + " for pool " + pool);
            Map<String, Object> scaled = scaledObjects.stream()
                    .filter(s -> name.equals(Rendered.at(s, "spec.scaleTargetRef.name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": no ScaledObject targets " + name));
            assertEquals(0, ((Number) Rendered.at(scaled, "spec.minReplicaCount")).intValue(), name + ": scales to zero");
            int maxReplicas = ((Number) Rendered.at(scaled, "spec.maxReplicaCount")).intValue();
            assertTrue(((Number) Rendered.at(kafkaTopic, "spec.partitions")).intValue() >= maxReplicas,
                    topic + " has fewer partitions than " + name + " may have workers");
            assertEquals("kafka", Rendered.at(scaled, "spec.triggers.0.type"));
            assertEquals(topic, Rendered.at(scaled, "spec.triggers.0.metadata.topic"), name + ": scaled on another topic");
            assertEquals(workerSource(JOBS_GROUP, "jobsGroup()") + pool, Rendered.at(scaled, "spec.triggers.0.metadata.consumerGroup"),
                    name + ": KEDA reads the lag of another group than the pool's workers join");
            assertEquals(bootstrap, Rendered.at(scaled, "spec.triggers.0.metadata.bootstrapServers"), name + ": KEDA's bootstrap address");
            assertEquals("earliest", Rendered.at(scaled, "spec.triggers.0.metadata.offsetResetPolicy"),
                    name + ": a new group's waiting jobs must count as lag, or the pool never leaves zero");
            assertEquals("earliest", workerSource(JOBS_OFFSET_RESET, "GROUP_ID_CONFIG, identity.jobsGroup()"), "the workers start a new group where KEDA counts from");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void sharedTopicsAreTheContractsTopicsOnTheClustersNodes(String overlay) {
        Rendered rendered = rendered(overlay);
        Map<String, Map<String, Object>> topics = topicsByName(rendered);
        for (String topic : List.of(Topics.RESULTS, Topics.EVENTS, Topics.CONTROL, Topics.JUDGE, Topics.SCORES, Topics.DEAD_LETTER)) {
            assertTrue(topics.containsKey(topic), overlay + ": no KafkaTopic " + topic);
        }
        Map<String, Object> kafka = MODEL.asMap(rendered.ofKind("Kafka").getFirst());
        String cluster = (String) Rendered.at(kafka, "metadata.name");
        List<Map<String, Object>> pools = rendered.mapsOfKind("KafkaNodePool");
        assertEquals(1, pools.size());
        Map<String, Object> pool = pools.getFirst();
        assertEquals(cluster, ((Map<?, ?>) Rendered.at(pool, "metadata.labels")).get("strimzi.io/cluster"),
                "the node pool belongs to the Kafka cluster");
        assertEquals(Set.of("controller", "broker"), Set.copyOf(((List<?>) Rendered.at(pool, "spec.roles")).stream().map(Object::toString)
                .map(String::toLowerCase).toList()), "KRaft: the node pool's nodes are controllers and brokers");
        int nodes = ((Number) Rendered.at(pool, "spec.replicas")).intValue();
        Map<?, ?> config = (Map<?, ?>) Rendered.at(kafka, "spec.kafka.config");
        assertTrue(Integer.parseInt(config.get("offsets.topic.replication.factor").toString()) <= nodes);
        for (Map.Entry<String, Map<String, Object>> topic : topics.entrySet()) {
            Map<?, ?> labels = (Map<?, ?>) Rendered.at(topic.getValue(), "metadata.labels");
            assertEquals(cluster, labels.get("strimzi.io/cluster"), topic.getKey() + " is not managed by the cluster's topic operator");
            int replicas = ((Number) Rendered.at(topic.getValue(), "spec.replicas")).intValue();
            assertTrue(replicas <= nodes, topic.getKey() + " wants " + replicas + " replicas on " + nodes + " nodes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void serviceContainersHaveQuarkusHealthProbesAndResources(String overlay) {
        Rendered rendered = rendered(overlay);
        for (Deployment deployment : rendered.serviceDeployments()) {
            String name = deployment.getMetadata().getName();
            ServiceModule module = ServiceModule.forDeployment(name);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            int port = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no port named http")).getContainerPort();
            assertEquals(module.httpPort(), port, name + ": container port differs from quarkus.http.port of " + module.module());
            assertProbe(name + " liveness", container.getLivenessProbe(), "/q/health/live");
            assertProbe(name + " readiness", container.getReadinessProbe(), "/q/health/ready");
            assertProbe(name + " startup", container.getStartupProbe(), "/q/health/started");
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertTrue(requests != null && requests.containsKey("cpu") && requests.containsKey("memory"), name + ": cpu and memory requests");
            assertTrue(limits != null && limits.containsKey("memory"), name + ": memory limit");
            assertTrue(Quantity.getAmountInBytes(limits.get("memory")).compareTo(Quantity.getAmountInBytes(requests.get("memory"))) >= 0,
                    name + ": memory limit below its request");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void imagesAreTheOnesTheBuildMakes(String overlay) {
        String version = Repository.projectVersion();
        for (Deployment deployment : rendered(overlay).serviceDeployments()) {
            String name = deployment.getMetadata().getName();
            ServiceModule module = ServiceModule.forDeployment(name);
            String expected = module.imageRepository() + ":" + version + (module.module().equals("worker") ? "-cuda" : "");
            assertEquals(expected, deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage(), name + ": image");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void environmentNamesAreOnesTheServicesRead(String overlay) {
        Rendered rendered = rendered(overlay);
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> readersOfConfig = new HashMap<>();
        for (Deployment deployment : rendered.serviceDeployments()) {
            String name = deployment.getMetadata().getName();
            ServiceModule module = ServiceModule.forDeployment(name);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            for (EnvVar variable : container.getEnv()) {
                if (!module.reads(variable.getName()) && !JVM_ENVIRONMENT.contains(variable.getName())) {
                    problems.add(name + " sets " + variable.getName() + ", which " + module.module() + " does not read");
                }
            }
            for (EnvFromSource source : container.getEnvFrom()) {
                String configMap = source.getConfigMapRef().getName();
                readersOfConfig.computeIfAbsent(configMap, k -> new TreeSet<>()).add(module.module());
            }
            if (!module.reads("OPTBENCH_HTTP_HOST") || !rendered.config().get("OPTBENCH_HTTP_HOST").equals("0.0.0.0")) {
                problems.add(name + ": must listen on 0.0.0.0 in a pod (OPTBENCH_HTTP_HOST)");
            }
        }
        assertEquals(Set.of("optbench-config"), readersOfConfig.keySet());
        for (String key : rendered.config().keySet()) {
            boolean read = JVM_ENVIRONMENT.contains(key)
                    || readersOfConfig.get("optbench-config").stream().anyMatch(module -> ServiceModule.of(module).reads(key));
            if (!read) {
                problems.add("optbench-config has " + key + ", which no service that loads it reads");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void databaseSettingsPointAtTheCloudNativePgCluster(String overlay) {
        Rendered rendered = rendered(overlay);
        Map<String, Object> cluster = rendered.mapsOfKind("Cluster").getFirst();
        String name = (String) Rendered.at(cluster, "metadata.name");
        String database = (String) Rendered.at(cluster, "spec.bootstrap.initdb.database");
        assertEquals("jdbc:postgresql://" + name + "-rw:5432/" + database, rendered.config().get("OPTBENCH_DB_URL"));
        for (Deployment deployment : rendered.deployments()) {
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            for (EnvVar variable : container.getEnv()) {
                if (variable.getName().startsWith("OPTBENCH_DB_")) {
                    assertEquals(name + "-app", variable.getValueFrom().getSecretKeyRef().getName(),
                            deployment.getMetadata().getName() + ": " + variable.getName() + " comes from CloudNativePG's app secret");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void servicesSelectTheirDeploymentsOnANamedPort(String overlay) {
        Rendered rendered = rendered(overlay);
        for (HasMetadata resource : rendered.ofKind("Service")) {
            Service service = (Service) resource;
            Map<String, String> selector = service.getSpec().getSelector();
            Deployment target = rendered.deployments().stream().filter(d -> d.getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(selector.entrySet())).findFirst()
                    .orElseThrow(() -> new AssertionError(service.getMetadata().getName() + " selects no Deployment"));
            Set<String> portNames = new TreeSet<>();
            target.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().forEach(p -> portNames.add(p.getName()));
            for (ServicePort port : service.getSpec().getPorts()) {
                assertTrue(portNames.contains(port.getTargetPort().getStrVal()),
                        service.getMetadata().getName() + " targets a port its Deployment does not name");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void prometheusScrapesEveryServiceOnQuarkusMetrics(String overlay) {
        Rendered rendered = rendered(overlay);
        Map<String, Object> monitor = rendered.mapsOfKind("PodMonitor").stream()
                .filter(m -> "optbench-services".equals(Rendered.at(m, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no PodMonitor optbench-services"));
        assertEquals("/q/metrics", Rendered.at(monitor, "spec.podMetricsEndpoints.0.path"));
        assertEquals("http", Rendered.at(monitor, "spec.podMetricsEndpoints.0.port"));
        assertEquals(List.of("optbench.dev/pool"), Rendered.at(monitor, "spec.podTargetLabels"), "tokens/s per pool needs the pool label");
        List<?> selected = (List<?>) Rendered.at(monitor, "spec.selector.matchExpressions.0.values");
        for (Deployment deployment : rendered.serviceDeployments()) {
            String app = deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name");
            assertTrue(selected.contains(app), overlay + ": " + deployment.getMetadata().getName() + " is not scraped");
        }
        Map<String, Object> exporter = rendered.mapsOfKind("Kafka").getFirst();
        assertNotNull(Rendered.at(exporter, "spec.kafkaExporter"), "queue depth needs Strimzi's Kafka Exporter");
        assertFalse(rendered.named("ConfigMap", "optbench-grafana-dashboard").isEmpty(), overlay + ": no dashboard ConfigMap");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void ollamaPullsTheModelTheJudgeAsksFor(String overlay) {
        Rendered rendered = rendered(overlay);
        Deployment judge = (Deployment) rendered.named("Deployment", "judge").orElseThrow();
        Deployment ollama = (Deployment) rendered.named("Deployment", "ollama").orElseThrow();
        Map<String, Object> pull = rendered.named("Job", "ollama-pull").map(MODEL::asMap)
                .orElseThrow(() -> new AssertionError(overlay + ": no Job ollama-pull"));
        assertEquals(List.of("pull", env(judge, "OPTBENCH_JUDGE_MODEL")), Rendered.at(pull, "spec.template.spec.containers.0.args"));
        assertEquals(ollama.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage(),
                Rendered.at(pull, "spec.template.spec.containers.0.image"));
        Service service = (Service) rendered.named("Service", "ollama").orElseThrow();
        assertEquals("http://ollama:" + service.getSpec().getPorts().getFirst().getPort(), env(judge, "OPTBENCH_JUDGE_BASE_URL"));
    }

    private static void assertProbe(String what, Probe probe, String path) {
        assertNotNull(probe, what + " probe missing");
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, what + " probe is not an HTTP GET");
        assertEquals(path, get.getPath(), what + " probe path");
        assertEquals("http", get.getPort().getStrVal(), what + " probe port");
    }

    /** In the worker's source file that contains {@code marker}, the first match's group: what the worker really does. */
    private static String workerSource(Pattern pattern, String marker) {
        for (Path file : ServiceModule.javaSources("worker")) {
            String source = Repository.read(file);
            Matcher matcher = pattern.matcher(source);
            if (source.contains(marker) && matcher.find()) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no worker source with " + marker + " has " + pattern.pattern());
    }

    private static String env(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(v -> v.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static Map<String, Map<String, Object>> topicsByName(Rendered rendered) {
        Map<String, Map<String, Object>> topics = new HashMap<>();
        for (Map<String, Object> topic : rendered.mapsOfKind("KafkaTopic")) {
            Object topicName = Rendered.at(topic, "spec.topicName");
            topics.put(topicName != null ? topicName.toString() : (String) Rendered.at(topic, "metadata.name"), topic);
        }
        return topics;
    }
}
