package dev.optbench.worker.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbesTest {

    @Test
    void readsGpusAndPerProcessMemoryFromNvidiaSmiCsv() {
        assertEquals(List.of(new Device("gpu", "NVIDIA H100 80GB HBM3", 81559L * 1024 * 1024, "550.54.15")),
                NvidiaSmi.parseDevices(List.of("NVIDIA H100 80GB HBM3, 81559, 550.54.15")));
        assertEquals(Map.of(4242L, 3072L * 1024 * 1024, 7L, 0L),
                NvidiaSmi.parseProcessMemory(List.of("4242, 1024", "4242, 2048", "7, [N/A]", "No running processes found")));
        assertFalse(new NvidiaSmi(java.util.Optional.empty()).present());
        assertEquals(List.of(), new NvidiaSmi(java.util.Optional.empty()).devices());
    }

    @Test
    void readsPeakAndCurrentResidentMemoryOfAProcess() {
        long pid = ProcessHandle.current().pid();
        Long now = ProcessMemory.rssBytes(pid);
        Long peak = ProcessMemory.peakRssBytes(pid);
        assertTrue(peak != null && now != null && peak >= now && now > 0, peak + " >= " + now);
        assertNull(ProcessMemory.peakRssBytes(Long.MAX_VALUE));
        assertEquals(2048L * 1024, ProcessMemory.parseKilobytes("Name:\tx\nVmHWM:\t    2048 kB\n", "VmHWM:"));
    }

    @Test
    void noticesOtherLlamaProcessesOnTheMachine(@TempDir Path dir) throws Exception {
        Path neighbour = dir.resolve("llama-neighbour");
        Files.copy(Path.of("/bin/sleep"), neighbour);
        Files.setPosixFilePermissions(neighbour, PosixFilePermissions.fromString("rwx------"));
        Process process = new ProcessBuilder(List.of(neighbour.toString(), "60")).start();
        try {
            assertEquals("llama-neighbour", TrialSampler.otherLlamaProcesses(Set.of()).get(process.pid()));
            assertFalse(TrialSampler.otherLlamaProcesses(Set.of(process.pid())).containsKey(process.pid()), "its own server is not a neighbour");
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void describesThisMachine() throws Exception {
        var environment = new HostProbe(new NvidiaSmi(java.util.Optional.empty())).environment(dev.optbench.worker.TestWorker.binary(), 2);
        assertEquals(Runtime.getRuntime().availableProcessors(), environment.cpuCores());
        assertEquals("cpu", environment.devices().getFirst().kind());
        assertTrue(environment.devices().getFirst().memoryBytes() > 0);
        assertFalse(environment.cpuModel().isBlank());
        assertEquals(2, environment.threads());
    }

    @Test
    void aGpusBandwidthComesFromTheTableByTheLongestNameItContains() {
        assertEquals(3350.0, MemoryBandwidth.gpuGbPerSecond("NVIDIA H100 80GB HBM3"));
        assertEquals(2000.0, MemoryBandwidth.gpuGbPerSecond("NVIDIA H100 PCIe"));
        assertEquals(300.0, MemoryBandwidth.gpuGbPerSecond("NVIDIA L4"));
        assertEquals(864.0, MemoryBandwidth.gpuGbPerSecond("NVIDIA L40S"));
        assertNull(MemoryBandwidth.gpuGbPerSecond("Some Future GPU"));
    }

    @Test
    void aCpusBandwidthIsMeasuredAndSaysHow() {
        Device device = MemoryBandwidth.describe(new Device("cpu", "cpu", 1L << 30, null));
        assertTrue(device.memoryBandwidthBytesPerSecond() > 100_000_000L, device.toString());
        assertTrue(device.memoryBandwidthSource().startsWith("measured: "), device.toString());
    }
}
