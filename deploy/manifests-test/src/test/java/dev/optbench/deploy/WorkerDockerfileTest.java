package dev.optbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy/images/worker/Dockerfile cannot be built here (no Docker daemon); these checks are what can be known without building it. */
class WorkerDockerfileTest {

    private static final Path FILE = Repository.path("deploy/images/worker/Dockerfile");
    private static final Dockerfile DOCKERFILE = Dockerfile.parse(Repository.read(FILE));
    private static final List<String> IGNORED = Files.isRegularFile(Repository.path("deploy/images/worker/Dockerfile.dockerignore"))
            ? Repository.read(Repository.path("deploy/images/worker/Dockerfile.dockerignore")).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()
            : List.of();

    @Test
    void buildsCudaByDefault() {
        assertEquals("cuda", DOCKERFILE.globalArgs().get("BACKEND"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuda", "cpu"})
    void eachBackendResolvesToRealStages(String backend) {
        Map<String, String> args = new HashMap<>(DOCKERFILE.globalArgs());
        args.put("BACKEND", backend);
        Map<String, String> stages = DOCKERFILE.stages(args);
        assertEquals("llama-build-" + backend, stages.get("llama-build"));
        assertEquals("runtime-" + backend, stages.get("worker"));
        assertTrue(stages.containsKey("llama-build-" + backend) && stages.containsKey("runtime-" + backend));
        String buildImage = stages.get("llama-build-" + backend);
        String runtimeImage = stages.get("runtime-" + backend);
        if (backend.equals("cuda")) {
            assertTrue(buildImage.matches("nvidia/cuda:[0-9.]+-devel-ubuntu[0-9.]+"), buildImage);
            assertTrue(runtimeImage.matches("nvidia/cuda:[0-9.]+-runtime-ubuntu[0-9.]+"), runtimeImage);
        } else {
            assertTrue(buildImage.startsWith("ubuntu:") && runtimeImage.startsWith("ubuntu:"), buildImage + " " + runtimeImage);
        }
        assertEquals("worker", stages.keySet().stream().reduce((a, b) -> b).orElseThrow(), "the last stage is the image");
    }

    @Test
    void copiesOnlyPathsThatExistAndThatTheBuildContextKeeps() {
        Map<String, String> stages = DOCKERFILE.stages(DOCKERFILE.globalArgs());
        List<String> problems = new ArrayList<>();
        for (Dockerfile.Instruction copy : DOCKERFILE.all("COPY")) {
            List<String> words = new ArrayList<>(List.of(copy.arguments().split("\\s+")));
            String from = words.stream().filter(w -> w.startsWith("--from=")).map(w -> w.substring(7)).findFirst().orElse(null);
            words.removeIf(w -> w.startsWith("--"));
            List<String> sources = words.subList(0, words.size() - 1);
            if (from != null) {
                if (!stages.containsKey(from)) {
                    problems.add("COPY --from=" + from + " names no stage");
                }
                continue;
            }
            for (String source : sources) {
                Path path = Repository.path(source);
                if (!Files.exists(path)) {
                    problems.add("COPY " + source + ": no such path in the repository");
                } else if (!source.equals(".") && IGNORED.stream().anyMatch(pattern -> matchesIgnore(pattern, source))) {
                    problems.add("COPY " + source + ": excluded from the build context by Dockerfile.dockerignore");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(IGNORED.contains("**/target") && IGNORED.contains(".optbench"), "build outputs and local state stay out of the context");
    }

    @Test
    void buildsLlamaCppWithTheLaunchersScriptAndPin() {
        String llamaSh = Repository.read(Repository.path("deploy/local/llama.sh"));
        Matcher pin = Pattern.compile("NODE_LLAMA_CPP_VERSION=\\$\\{NODE_LLAMA_CPP_VERSION:-([0-9.]+)}").matcher(llamaSh);
        assertTrue(pin.find(), "llama.sh pins node-llama-cpp");
        assertTrue(Repository.read(FILE).contains("node-llama-cpp@" + pin.group(1)), "the Dockerfile names another node-llama-cpp release");
        assertTrue(DOCKERFILE.all("RUN").stream().anyMatch(r -> r.arguments().contains("source /src/deploy/local/llama.sh")
                && r.arguments().contains("llama_bin_dir")), "llama.cpp is built by llama.sh's llama_bin_dir");
        assertTrue(llamaSh.contains("OPTBENCH_LLAMA_CMAKE_ARGS"), "llama.sh takes the image's extra CMake arguments");
        String env = String.join(" ", DOCKERFILE.all("ENV").stream().map(Dockerfile.Instruction::arguments).toList());
        assertTrue(env.contains("-DGGML_NATIVE=OFF"), "an image must not be tuned to the build machine's CPU");
    }

    @Test
    void runsTheWorkersQuarkusAppOnItsPortWithTheSettingsItReads() {
        ServiceModule worker = ServiceModule.of("worker");
        assertTrue(DOCKERFILE.all("COPY").stream().anyMatch(c -> c.arguments().contains("/src/worker/target/quarkus-app /deployments")));
        assertTrue(DOCKERFILE.all("RUN").stream().anyMatch(r -> r.arguments().contains("-pl worker -am package")));
        assertEquals(List.of(String.valueOf(worker.httpPort())), DOCKERFILE.all("EXPOSE").stream().map(Dockerfile.Instruction::arguments).toList());
        assertTrue(DOCKERFILE.all("ENTRYPOINT").getFirst().arguments().contains("\"/deployments/quarkus-run.jar\""));
        List<String> unread = new ArrayList<>();
        for (Dockerfile.Instruction env : DOCKERFILE.all("ENV")) {
            Matcher name = Pattern.compile("(OPTBENCH_[A-Z_]+)=").matcher(env.arguments());
            while (name.find()) {
                if (!worker.reads(name.group(1)) && !name.group(1).startsWith("OPTBENCH_LLAMA_") && !name.group(1).equals("OPTBENCH_CACHE")) {
                    unread.add(name.group(1));
                }
            }
        }
        assertEquals(List.of(), unread, "ENV names the worker does not read");
        assertFalse(DOCKERFILE.all("USER").isEmpty(), "the worker does not run as root");
    }

    @Test
    void parserRefusesAFromWithAnUnknownArgument() {
        Dockerfile broken = Dockerfile.parse("ARG A=x\nFROM image-${B} AS s\n");
        assertThrows(IllegalArgumentException.class, () -> broken.stages(broken.globalArgs()));
    }

    private static boolean matchesIgnore(String pattern, String source) {
        String regex = pattern.replace(".", "\\.").replace("**/", "(.*/)?").replace("*", "[^/]*");
        return source.matches(regex + "(/.*)?");
    }
}
