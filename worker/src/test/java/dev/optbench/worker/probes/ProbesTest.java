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

    private static final long MIB = 1024L * 1024;

    @Test
    void addsUpTheDevicesUsedMemoryAndGivesNoneWhenADeviceDoesNotSay() {
        // nvidia-smi --query-gpu=memory.used,memory.total --format=csv,noheader,nounits on two H100s, then on a GPU without the figure
        assertEquals((4530L + 1024) * MIB, NvidiaSmi.parseUsedMemory(List.of("4530, 81559", "1024, 81559")));
        assertNull(NvidiaSmi.parseUsedMemory(List.of("4530, 81559", "[N/A], [N/A]")));
        assertNull(NvidiaSmi.parseUsedMemory(List.of()), "no nvidia-smi, no figure");
        assertNull(NvidiaSmi.parseUsedMemory(List.of("90000, 81559")), "more used than the device has is not a reading");
    }

    @Test
    void aServerThatNvidiaSmiListsIsMeasuredByItsOwnRow() {
        GpuMemoryPeak peak = new GpuMemoryPeak(4242, 412 * MIB);
        // nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits on the host: the server and a neighbour
        peak.add(NvidiaSmi.parseProcessMemory(List.of("4242, 3072", "77, 1000")), null);
        peak.add(NvidiaSmi.parseProcessMemory(List.of("4242, 3100", "77, 1000")), 9000 * MIB);
        assertEquals(3100 * MIB, peak.bytes());
        assertEquals(GpuMemoryPeak.PROCESS, peak.source());
        assertFalse(peak.wantsDeviceMemory(), "its own row makes the device's total unnecessary");
    }

    @Test
    void inAContainerWhereNvidiaSmiListsHostPidsTheDevicesGrowthSinceBeforeTheServerIsTakenAndSaysSo() {
        // Inside the container the server is pid 57; the driver reports the host's pid for it.
        Long before = NvidiaSmi.parseUsedMemory(List.of("412, 24564"));
        GpuMemoryPeak peak = new GpuMemoryPeak(57, before);
        assertTrue(peak.wantsDeviceMemory());
        peak.add(NvidiaSmi.parseProcessMemory(List.of("2853107, 7300")), NvidiaSmi.parseUsedMemory(List.of("7712, 24564")));
        peak.add(NvidiaSmi.parseProcessMemory(List.of()), NvidiaSmi.parseUsedMemory(List.of("7825, 24564")));
        peak.add(NvidiaSmi.parseProcessMemory(List.of("2853107, 7300")), NvidiaSmi.parseUsedMemory(List.of("[N/A], [N/A]")));
        assertEquals((7825L - 412) * MIB, peak.bytes());
        assertEquals(GpuMemoryPeak.DEVICE_DELTA, peak.source());
    }

    @Test
    void noGrowthOrNoReadingBeforeTheServerGivesNoFigureRatherThanAGuess() {
        GpuMemoryPeak unchanged = new GpuMemoryPeak(57, 7000 * MIB);
        unchanged.add(Map.of(), 6900 * MIB);
        assertNull(unchanged.bytes(), "another process freed memory meanwhile; the server's share is unknown");
        assertNull(unchanged.source());
        GpuMemoryPeak noBaseline = new GpuMemoryPeak(57, null);
        assertFalse(noBaseline.wantsDeviceMemory());
        noBaseline.add(Map.of(), 6900 * MIB);
        assertNull(noBaseline.bytes());
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
