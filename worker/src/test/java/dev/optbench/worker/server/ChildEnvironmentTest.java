package dev.optbench.worker.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    @Test
    void aChildProcessStartsWithoutTheServicesSecrets() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/env");
        builder.environment().put("OPTBENCH_API_KEY", "key-that-must-not-reach-llama-server");
        builder.environment().put("OPTBENCH_DB_PASSWORD", "password-that-must-not-reach-llama-server");
        builder.environment().put("LLAMA_ARG_THREADS", "2");
        Process env = ChildEnvironment.withoutOurSettings(builder).redirectErrorStream(true).start();
        String seen = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        env.waitFor();
        assertFalse(seen.contains("OPTBENCH_"), seen);
        assertTrue(seen.contains("LLAMA_ARG_THREADS=2") && seen.contains("PATH="), "the rest of the environment stays: " + seen);
    }
}
