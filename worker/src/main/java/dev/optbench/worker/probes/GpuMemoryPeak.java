package dev.optbench.worker.probes;

import java.util.Map;

/**
 * A trial server's peak GPU memory from nvidia-smi samples. Where nvidia-smi lists a process row for the server's
 * pid, that row; where it lists none for the whole trial (inside a container the server's pid lives in another PID
 * namespace than the driver reports), the devices' used memory above what they used just before the server
 * started, which also counts anything else allocated on them meanwhile. The figure says which it is.
 */
public final class GpuMemoryPeak {
    public static final String PROCESS = "process: nvidia-smi's compute-apps row of the server's pid";
    public static final String DEVICE_DELTA = "device delta: nvidia-smi's memory.used minus before the server started "
            + "(no compute-apps row for the server's pid, e.g. in a container's PID namespace)";

    private final long serverPid;
    private final Long usedBeforeBytes;
    private long peakProcess = -1;
    private long peakDelta = -1;

    /** @param usedBeforeBytes the devices' used memory just before the server started, null when unknown */
    public GpuMemoryPeak(long serverPid, Long usedBeforeBytes) {
        this.serverPid = serverPid;
        this.usedBeforeBytes = usedBeforeBytes;
    }

    /** Whether a sample still needs the devices' used memory: only while no row of the server's pid was seen. */
    public synchronized boolean wantsDeviceMemory() {
        return peakProcess < 0 && usedBeforeBytes != null;
    }

    /** One sample: nvidia-smi's memory by pid, and the devices' used memory (null when not read or unknown). */
    public synchronized void add(Map<Long, Long> memoryByPid, Long usedNowBytes) {
        Long own = memoryByPid.get(serverPid);
        if (own != null) {
            peakProcess = Math.max(peakProcess, own);
        } else if (usedNowBytes != null && usedBeforeBytes != null && usedNowBytes > usedBeforeBytes) {
            peakDelta = Math.max(peakDelta, usedNowBytes - usedBeforeBytes);
        }
    }

    /** The peak in bytes, null when no sample gave one. */
    public synchronized Long bytes() {
        if (peakProcess >= 0) {
            return peakProcess;
        }
        return peakDelta >= 0 ? peakDelta : null;
    }

    /** {@link #PROCESS} or {@link #DEVICE_DELTA}, null with no figure. */
    public synchronized String source() {
        if (peakProcess >= 0) {
            return PROCESS;
        }
        return peakDelta >= 0 ? DEVICE_DELTA : null;
    }
}
