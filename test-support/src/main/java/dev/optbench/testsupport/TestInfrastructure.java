package dev.optbench.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real infrastructure that {@code ./optbench test} starts before Maven runs and passes in through the
 * environment: a Kafka broker, a PostgreSQL server, the llama.cpp tools and the generated tiny model.
 * A test that needs one of them asks here and fails with a pointer to the test command when it is absent.
 */
public final class TestInfrastructure {
    private TestInfrastructure() {
    }

    public static String kafkaBootstrap() {
        return required("OPTBENCH_KAFKA_BOOTSTRAP");
    }

    public static String jdbcUrl() {
        return required("OPTBENCH_DB_URL");
    }

    public static String dbUser() {
        return required("OPTBENCH_DB_USER");
    }

    public static String dbPassword() {
        return required("OPTBENCH_DB_PASSWORD");
    }

    /** The directory with llama-server, llama-quantize, llama-perplexity and llama-bench. */
    public static Path llamaBinDir() {
        return existing("OPTBENCH_LLAMA_BIN_DIR");
    }

    /** llama.cpp's {@code models/ggml-vocab-llama-spm.gguf}. */
    public static Path llamaVocab() {
        return existing("OPTBENCH_LLAMA_VOCAB");
    }

    /** The directory that holds the generated tiny model, {@code tiny-llama-f16.gguf}. */
    public static Path modelsDir() {
        return existing("OPTBENCH_MODELS_DIR");
    }

    public static Path tinyModel() {
        Path model = modelsDir().resolve("tiny-llama-f16.gguf");
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("no generated model at " + model + "; run the tests with ./optbench test");
        }
        return model;
    }

    private static Path existing(String variable) {
        Path path = Path.of(required(variable));
        if (!Files.exists(path)) {
            throw new IllegalStateException(variable + "=" + path + " does not exist; run the tests with ./optbench test");
        }
        return path;
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: this test needs the real infrastructure that "
                    + "./optbench test starts (run ./optbench test, or ./optbench test -pl <module>)");
        }
        return value;
    }
}
