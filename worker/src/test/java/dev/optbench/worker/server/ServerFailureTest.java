package dev.optbench.worker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Why a server exited, read from its status and log lines in llama.cpp's own wording. */
class ServerFailureTest {

    @Test
    void anAllocationFailureIsOutOfMemory() {
        ServerFailure failure = ServerFailure.ofExit(1, List.of(
                "0.00.120.001 I srv    load_model: loading model",
                "0.00.130.002 E ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 68719476736",
                "0.00.130.010 E srv    load_model: failed to load model, '/models/big.gguf'"), 40, "while loading");
        assertEquals(ServerFailure.Kind.OUT_OF_MEMORY, failure.kind());
        assertTrue(failure.getMessage().startsWith("llama-server ran out of memory while loading"), failure.getMessage());
    }

    @Test
    void aRejectedArgumentNamesTheArgument() {
        ServerFailure failure = ServerFailure.ofExit(1, List.of(
                "error while handling argument \"--flash-attn\": error: unknown value for --flash-attn: 'maybe'", "usage:",
                "to show complete usage, run with -h"), 40, "while loading");
        assertEquals(ServerFailure.Kind.REJECTED_ARGUMENT, failure.kind());
        assertEquals("llama-server rejected its arguments: error while handling argument \"--flash-attn\": error: unknown value "
                + "for --flash-attn: 'maybe'", failure.getMessage());
    }

    @Test
    void aSignalIsNamed() {
        ServerFailure failure = ServerFailure.ofExit(137, List.of("0.00.100.000 I srv  update_slots: all slots are idle"), 40, "during the workload");
        assertEquals(ServerFailure.Kind.CRASHED, failure.kind());
        assertTrue(failure.getMessage().startsWith("llama-server was killed by signal 9"), failure.getMessage());
    }

    @Test
    void theTailKeepsOnlyTheLastLines() {
        ServerFailure failure = ServerFailure.ofExit(2, List.of("a", "b", "c"), 2, "while loading");
        assertEquals("b\nc", failure.logTail());
        assertEquals("llama-server exited with status 2 while loading", failure.getMessage());
    }
}
