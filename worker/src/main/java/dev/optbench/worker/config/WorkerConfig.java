package dev.optbench.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The worker's settings, {@code optbench.worker.*}. The launcher passes the directories through
 * {@code OPTBENCH_LLAMA_BIN_DIR}, {@code OPTBENCH_MODELS_DIR} and {@code OPTBENCH_WORK_DIR}.
 */
@ConfigMapping(prefix = "optbench.worker")
public interface WorkerConfig {

    /** The worker's id on {@code bench.events} and in results; defaults to {@code <host>-<pid>}. */
    Optional<String> id();

    /** The pool whose jobs this worker runs: it consumes {@code bench.jobs.<pool>}. */
    @WithDefault("cpu")
    String pool();

    /** Whether the worker joins its pool: consumes jobs, reads cancellations and announces its capabilities. */
    @WithDefault("true")
    boolean joinPool();

    /** The Kafka bootstrap servers. */
    String kafkaBootstrap();

    /** The directory with llama-server, llama-quantize and llama-perplexity and their shared libraries. */
    Path llamaBinDir();

    /** Model files and user corpora; model refs may not leave it. */
    Path modelsDir();

    /** Artifacts, base logits, per-trial logs and replay scripts. */
    Path workDir();

    /** llama.cpp's {@code ggml-vocab-llama-spm.gguf}, used to write the tiny model when the models dir lacks it. */
    Optional<Path> vocabFile();

    /**
     * How long the pool's consumer group waits for a worker that stopped heartbeating (a crash, a lost machine)
     * before its jobs go to another worker: Kafka's {@code session.timeout.ms}, heartbeats every third of it.
     */
    @WithDefault("45s")
    Duration sessionTimeout();

    /** How often capabilities are published on {@code bench.events}. */
    @WithDefault("60s")
    Duration capabilitiesInterval();

    /** How far back the worker reads {@code bench.control} at start, so it knows runs cancelled while it was down. */
    @WithDefault("24h")
    Duration cancellationLookback();

    /** llama-quantize may take this long for one artifact (a 70B model takes many minutes). */
    @WithDefault("2h")
    Duration artifactBuildTimeout();

    Hub modelHub();

    Server server();

    Workload workload();

    Perplexity perplexity();

    Results results();

    /** Where {@code hf:<user>/<repo>[:<quant>]} models come from. */
    interface Hub {
        /**
         * The Hugging Face–compatible hub to download from ({@code https://huggingface.co}, or a mirror speaking its
         * API); none: this worker downloads nothing and its pool refuses {@code hf:} refs.
         */
        Optional<java.net.URI> url();

        /** A token for gated or private repositories; sent to the hub's own host only. */
        Optional<String> token();

        /** Where downloaded models are kept (shared by the workers of one machine or volume); default {@code <work-dir>/hub}. */
        Optional<Path> cacheDir();

        /** How long the hub may take to start answering a request. */
        @WithDefault("60s")
        Duration requestTimeout();

        /** A download that receives nothing for this long is given up and the trial fails. */
        @WithDefault("120s")
        Duration stallTimeout();
    }

    interface Server {
        /** Process start → {@code /health} ok; a server that takes longer is treated as hung. */
        @WithDefault("300s")
        Duration healthTimeout();

        /** How long a stopped server may take to exit before it is killed. */
        @WithDefault("10s")
        Duration stopGrace();

        /** Lines of the server's log carried in a failed trial's {@code stderrTail}. */
        @WithDefault("40")
        int stderrTailLines();
    }

    interface Workload {
        /** A request that streams nothing for this long means a hung server: the trial fails. */
        @WithDefault("120s")
        Duration requestIdleTimeout();

        /** Progress events are published at most this often while the workload runs. */
        @WithDefault("2s")
        Duration progressInterval();

        /** How often the trial sampler reads GPU memory and looks for other llama.cpp processes. */
        @WithDefault("500ms")
        Duration probeInterval();
    }

    interface Perplexity {
        /** llama-perplexity's {@code -c}: tokens per chunk. */
        @WithDefault("512")
        int contextSize();

        /** llama-perplexity's {@code --chunks}: at most this many chunks, -1 for the whole corpus. */
        @WithDefault("-1")
        int maxChunks();

        /** A llama-perplexity pass that takes longer is stopped and the trial fails. */
        @WithDefault("30m")
        Duration timeout();
    }

    interface Results {
        /** Samples per {@code SampleChunk} at most. */
        @WithDefault("50")
        int chunkSamples();

        /** A chunk's JSON stays below this many bytes (the broker's default limit is 1 MiB). */
        @WithDefault("600000")
        int chunkBytes();
    }
}
