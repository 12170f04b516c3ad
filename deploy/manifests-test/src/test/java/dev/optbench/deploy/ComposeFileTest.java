package dev.optbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Topics;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComposeFileTest {

    private static final String TEXT = Repository.read(Repository.path("docker-compose.yml"));
    private static final Map<String, String> SECRETS = Map.of("OPTBENCH_DB_PASSWORD", "db-secret", "OPTBENCH_API_KEY", "api-secret");
    private static final Map<String, Object> COMPOSE = ComposeFile.load(TEXT, SECRETS);
    /** Compose service name → the module it runs. */
    private static final Map<String, String> SERVICES = Map.of(
            "orchestrator", "orchestrator", "worker", "worker", "judge", "judge", "viz", "viz-service");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) COMPOSE.get("services")).get(name);
        assertNotNull(service, "docker-compose.yml has no service " + name);
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Map<String, Object> environment = (Map<String, Object>) service(name).getOrDefault("environment", Map.of());
        Map<String, String> values = new java.util.TreeMap<>();
        environment.forEach((key, value) -> values.put(key, String.valueOf(value)));
        return values;
    }

    @Test
    void runsKafkaInKraftModeFromTheOfficialImageBesidePostgresOllamaAndTheFourServices() {
        assertTrue(service("kafka").get("image").toString().startsWith("apache/kafka:"));
        Map<String, String> kafka = environment("kafka");
        assertEquals(Set.of("broker", "controller"), Set.of(kafka.get("KAFKA_PROCESS_ROLES").split(",")), "KRaft, one combined node");
        assertTrue(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS").startsWith(kafka.get("KAFKA_NODE_ID") + "@kafka:"));
        assertFalse(TEXT.toLowerCase().contains("zookeeper"));
        assertTrue(service("postgres").get("image").toString().startsWith("postgres:"));
        assertTrue(service("ollama").get("image").toString().startsWith("ollama/ollama:"));
        SERVICES.keySet().forEach(ComposeFileTest::service);
    }

    @Test
    @SuppressWarnings("unchecked")
    void workerReservesOneNvidiaGpuAndMountsTheModelsWhereItLooks() {
        Map<String, Object> worker = service("worker");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) Rendered.at(worker, "deploy.resources.reservations.devices");
        assertNotNull(devices, "the worker reserves no device");
        assertEquals(1, devices.size());
        assertEquals("nvidia", devices.getFirst().get("driver"));
        assertEquals(1, devices.getFirst().get("count"));
        assertEquals(List.of("gpu"), devices.getFirst().get("capabilities"));
        String modelsDir = environment("worker").get("OPTBENCH_MODELS_DIR");
        assertTrue(((List<String>) worker.get("volumes")).stream().anyMatch(v -> v.endsWith(":" + modelsDir)),
                "no volume mounted at OPTBENCH_MODELS_DIR=" + modelsDir);
        Map<String, Object> build = (Map<String, Object>) worker.get("build");
        assertTrue(Files.isRegularFile(Repository.path(build.get("context") + "/" + build.get("dockerfile"))), "the worker's Dockerfile");
        assertEquals("cuda", Rendered.at(build, "args.BACKEND"));
        String pool = environment("worker").get("OPTBENCH_WORKER_POOL");
        assertTrue(environment("worker").get("OPTBENCH_WORKER_ID").startsWith(pool + "-"));
    }

    @Test
    void cpuVariantIsTheSameFileWithOneVariable() {
        Map<String, Object> cpu = ComposeFile.load(TEXT, merged(SECRETS, Map.of("OPTBENCH_WORKER_BACKEND", "cpu")));
        assertEquals("cpu", Rendered.at(cpu, "services.worker.build.args.BACKEND"));
        assertTrue(Rendered.at(cpu, "services.worker.image").toString().endsWith("-cpu"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesStartOnlyAfterWhatTheyNeedIsHealthyAndAreHealthCheckedOnQuarkusReadiness() {
        Map<String, Object> services = (Map<String, Object>) COMPOSE.get("services");
        List<String> problems = new ArrayList<>();
        services.forEach((name, definition) -> {
            Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) ((Map<String, Object>) definition)
                    .getOrDefault("depends_on", Map.of());
            dependsOn.forEach((needed, how) -> {
                Object condition = how.get("condition");
                if ("service_healthy".equals(condition)) {
                    if (!service(needed).containsKey("healthcheck")) {
                        problems.add(name + " waits for " + needed + " to be healthy, which has no health check");
                    }
                } else if (!"service_completed_successfully".equals(condition)) {
                    problems.add(name + " starts after " + needed + " with condition " + condition);
                }
            });
        });
        assertEquals(List.of(), problems);
        SERVICES.forEach((name, module) -> {
            int port = ServiceModule.of(module).httpPort();
            String test = String.join(" ", (List<String>) Rendered.at(service(name), "healthcheck.test"));
            assertTrue(test.contains("http://127.0.0.1:" + port + "/q/health/ready"), name + " health check: " + test);
            List<String> ports = (List<String>) service(name).get("ports");
            assertTrue(ports.stream().anyMatch(p -> p.endsWith(":" + port + ":" + port)), name + " publishes " + ports);
            assertTrue(ports.stream().allMatch(p -> p.startsWith("127.0.0.1:")), name + " binds to loopback unless OPTBENCH_BIND says otherwise");
        });
    }

    @Test
    void environmentNamesAreOnesTheServicesReadAndPointAtTheComposeServices() {
        List<String> problems = new ArrayList<>();
        SERVICES.forEach((name, module) -> {
            ServiceModule service = ServiceModule.of(module);
            environment(name).keySet().stream().filter(key -> !key.equals("JAVA_TOOL_OPTIONS") && !service.reads(key))
                    .forEach(key -> problems.add(name + " sets " + key + ", which " + module + " does not read"));
            if (!"0.0.0.0".equals(environment(name).get("OPTBENCH_HTTP_HOST"))) {
                problems.add(name + " does not listen on 0.0.0.0 (OPTBENCH_HTTP_HOST)");
            }
        });
        assertEquals(List.of(), problems);
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        for (String name : List.of("orchestrator", "worker", "judge")) {
            assertEquals(advertised.substring(advertised.indexOf("//") + 2), environment(name).get("OPTBENCH_KAFKA_BOOTSTRAP"), name);
        }
        Map<String, String> postgres = environment("postgres");
        for (String name : List.of("orchestrator", "viz")) {
            Map<String, String> env = environment(name);
            assertEquals("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"), env.get("OPTBENCH_DB_URL"), name);
            assertEquals(postgres.get("POSTGRES_USER"), env.get("OPTBENCH_DB_USER"), name);
            assertEquals(postgres.get("POSTGRES_PASSWORD"), env.get("OPTBENCH_DB_PASSWORD"), name);
        }
        assertEquals("api-secret", environment("orchestrator").get("OPTBENCH_API_KEY"));
        assertEquals("http://ollama:11434", environment("judge").get("OPTBENCH_JUDGE_BASE_URL"));
        assertEquals(List.of("pull", environment("judge").get("OPTBENCH_JUDGE_MODEL")), service("ollama-pull").get("command"),
                "Ollama pulls the model the judge asks for");
    }

    @Test
    @SuppressWarnings("unchecked")
    void createsTheContractsTopicsAndTheWorkersJobTopic() {
        String command = String.join("\n", (List<String>) service("kafka-topics").get("command"));
        String pool = environment("worker").get("OPTBENCH_WORKER_POOL");
        for (String topic : List.of(Topics.jobs(pool), Topics.RESULTS, Topics.EVENTS, Topics.CONTROL, Topics.JUDGE, Topics.SCORES,
                Topics.DEAD_LETTER)) {
            assertTrue(command.contains(" " + topic + ":"), "kafka-topics does not create " + topic);
        }
        assertTrue(command.contains("${topic%%:*}"), "$$ must reach the shell as $: " + command);
    }

    @Test
    void imagesAreTheOnesTheBuildMakes() {
        String version = Repository.projectVersion();
        SERVICES.forEach((name, module) -> {
            String expected = ServiceModule.of(module).imageRepository() + ":" + version + (module.equals("worker") ? "-cuda" : "");
            assertEquals(expected, service(name).get("image"), name);
        });
    }

    @Test
    void refusesToStartWithoutTheSecrets() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ComposeFile.load(TEXT, Map.of()));
        assertTrue(missing.getMessage().contains("OPTBENCH_"), missing.getMessage());
        assertEquals("x-y", ComposeFile.interpolate("${A:-x}-${B-y}", Map.of()));
        assertEquals("$HOME", ComposeFile.interpolate("$$HOME", Map.of()));
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> merged = new java.util.HashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
