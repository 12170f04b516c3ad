package dev.optbench.contracts.search;

import dev.optbench.contracts.messages.Device;
import dev.optbench.contracts.messages.Environment;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory-bandwidth bound of decoding: each generated token reads the weights once and the K and V cache of
 * every position in the context, so tokens/s cannot exceed bandwidth ÷ those bytes. A trial's share of the bound
 * says how much a faster configuration could still gain on this device.
 */
public final class Roofline {
    /** Bytes per element of each llama.cpp cache type, against f16's 2 (q8_0: 34 bytes per block of 32). */
    private static final Map<String, Double> CACHE_BYTES_PER_ELEMENT = Map.ofEntries(
            Map.entry("f32", 4.0), Map.entry("f16", 2.0), Map.entry("bf16", 2.0), Map.entry("q8_0", 34.0 / 32),
            Map.entry("q4_0", 18.0 / 32), Map.entry("q4_1", 20.0 / 32), Map.entry("iq4_nl", 18.0 / 32),
            Map.entry("q5_0", 22.0 / 32), Map.entry("q5_1", 24.0 / 32));

    private Roofline() {
    }

    /**
     * Bytes read to generate one token.
     *
     * @param decodeWeightBytes  weights read per token (the artifact's)
     * @param kvBytesPerPosition f16 K plus V bytes per context position over all layers (the artifact's)
     * @param cacheTypeK         {@code --cache-type-k}, null for f16
     * @param cacheTypeV         {@code --cache-type-v}, null for f16
     * @param meanContext        the mean number of positions in the context while generating
     */
    public static double bytesPerToken(long decodeWeightBytes, long kvBytesPerPosition, String cacheTypeK, String cacheTypeV,
                                       double meanContext) {
        double half = kvBytesPerPosition / 2.0;
        double kv = half * factor(cacheTypeK) + half * factor(cacheTypeV);
        return decodeWeightBytes + kv * Math.max(0, meanContext);
    }

    /** tokens/s at which decoding would read memory at the full bandwidth. */
    public static double boundTokensPerSecond(double bandwidthBytesPerSecond, double bytesPerToken) {
        return bandwidthBytesPerSecond / bytesPerToken;
    }

    /**
     * A trial's bound in tokens/s: the decoding device's bandwidth (the first GPU, else the CPU) over the bytes its
     * artifact and cache types read per token at its mean context; null when a figure it needs is unknown.
     *
     * @param argv the trial's llama-server argv, for {@code --cache-type-k}/{@code -ctk} and {@code --cache-type-v}/{@code -ctv}
     */
    public static Double boundTokensPerSecond(Environment environment, List<String> argv, Long decodeWeightBytes,
                                              Long kvBytesPerPosition, double meanContext) {
        Device device = decodingDevice(environment);
        if (device == null || device.memoryBandwidthBytesPerSecond() == null || decodeWeightBytes == null || decodeWeightBytes <= 0) {
            return null;
        }
        double bytes = bytesPerToken(decodeWeightBytes, kvBytesPerPosition == null ? 0 : kvBytesPerPosition,
                argValue(argv, "--cache-type-k", "-ctk"), argValue(argv, "--cache-type-v", "-ctv"), meanContext);
        return boundTokensPerSecond(device.memoryBandwidthBytesPerSecond(), bytes);
    }

    /** The device that decodes: the first GPU, else the first device (the CPU). */
    public static Device decodingDevice(Environment environment) {
        if (environment == null || environment.devices() == null || environment.devices().isEmpty()) {
            return null;
        }
        return environment.devices().stream().filter(d -> "gpu".equals(d.kind())).findFirst().orElse(environment.devices().getFirst());
    }

    static String argValue(List<String> argv, String longName, String shortName) {
        if (argv == null) {
            return null;
        }
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals(longName) || argv.get(i).equals(shortName)) {
                return argv.get(i + 1);
            }
        }
        return null;
    }

    private static double factor(String cacheType) {
        if (cacheType == null) {
            return 1.0;
        }
        Double bytes = CACHE_BYTES_PER_ELEMENT.get(cacheType.toLowerCase(Locale.ROOT));
        return bytes == null ? 1.0 : bytes / 2.0;
    }
}
