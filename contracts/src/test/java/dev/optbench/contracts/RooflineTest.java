package dev.optbench.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.optbench.contracts.messages.Device;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.search.Roofline;
import java.util.List;
import org.junit.jupiter.api.Test;

class RooflineTest {
    private static final long WEIGHTS = 25_000_000L;
    private static final long KV = 16_384L;

    private static Environment on(Device... devices) {
        return new Environment("host", "0.5.0-dev", "de3ff81", "cpu", "cpu", 2, List.of(devices), 2);
    }

    @Test
    void aTokenReadsTheWeightsAndTheCacheOfEveryPositionInTheContext() {
        assertEquals(WEIGHTS + KV * 100.0, Roofline.bytesPerToken(WEIGHTS, KV, null, null, 100), 1e-6);
    }

    @Test
    void aQuantizedCacheReadsFewerBytesPerPosition() {
        double f16 = Roofline.bytesPerToken(0, KV, "f16", "f16", 1);
        double q8 = Roofline.bytesPerToken(0, KV, "q8_0", "q8_0", 1);
        double mixed = Roofline.bytesPerToken(0, KV, "q4_0", null, 1);
        assertEquals(KV, f16, 1e-9);
        assertEquals(KV * 34.0 / 64, q8, 1e-9);
        assertEquals(KV / 2.0 * 18.0 / 64 + KV / 2.0, mixed, 1e-9);
    }

    @Test
    void theBoundIsTheGpusBandwidthOverTheBytesReadAndTheCacheTypesComeFromTheArgv() {
        Environment gpu = on(new Device("gpu", "NVIDIA H100 80GB HBM3", 80L << 30, "550", 3_350_000_000_000L, "table: H100"),
                new Device("cpu", "cpu", 1L << 30, null, 20_000_000_000L, "measured"));
        double expected = 3_350_000_000_000.0 / Roofline.bytesPerToken(WEIGHTS, KV, "q8_0", null, 10);
        assertEquals(expected, Roofline.boundTokensPerSecond(gpu, List.of("--model", "m.gguf", "-ctk", "q8_0"), WEIGHTS, KV, 10), 1e-6);
    }

    @Test
    void noBandwidthNoBound() {
        assertNull(Roofline.boundTokensPerSecond(on(new Device("cpu", "cpu", 1L << 30, null)), List.of(), WEIGHTS, KV, 10));
        assertNull(Roofline.boundTokensPerSecond(on(new Device("cpu", "cpu", 1L << 30, null, 1_000_000_000L, "m")), List.of(), null, KV, 10));
    }
}
