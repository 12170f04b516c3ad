package dev.optbench.worker.probes;

import dev.optbench.contracts.messages.Device;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.worker.server.LlamaBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What this machine is: host name, CPU model and cores, memory, GPUs, and the llama.cpp build.
 */
public final class HostProbe {
    private final NvidiaSmi nvidiaSmi;

    public HostProbe(NvidiaSmi nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    /** @param threads the trial's {@code --threads}, or null outside a trial or when the variant leaves it to llama-server */
    public Environment environment(LlamaBinary binary, Integer threads) {
        String cpuModel = cpuModel();
        List<Device> devices = new ArrayList<>(nvidiaSmi.devices());
        if (devices.isEmpty()) {
            devices.add(new Device("cpu", cpuModel, memoryBytes(), null));
        }
        return new Environment(hostName(), binary.version(), binary.commit(), binary.backend(), cpuModel,
                Runtime.getRuntime().availableProcessors(), devices.stream().map(MemoryBandwidth::describe).toList(), threads);
    }

    public static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }

    static long memoryBytes() {
        try {
            Long total = ProcessMemory.parseKilobytes(Files.readString(Path.of("/proc/meminfo"), StandardCharsets.UTF_8), "MemTotal:");
            return total == null ? 0 : total;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
