package dev.salvo.bench.harness;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Inside a child JVM: the process's CPU time and garbage-collection totals, for window deltas.
 *
 * <p>CPU time comes from {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through FFM, the same
 * clock the C contenders read, because the JDK's {@code getProcessCpuTime()} counts in 10 ms
 * scheduler ticks on Linux, too coarse for a half-second window. The MXBean is the fallback.
 */
final class ProcessCpu {
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MethodHandle CLOCK_GETTIME = clockGettime();

    private ProcessCpu() {
    }

    @SuppressWarnings("restricted") // children run with --enable-native-access=ALL-UNNAMED
    private static MethodHandle clockGettime() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("clock_gettime")
                    .map(address -> linker.downcallHandle(address,
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null; // no native access: fall back to the MXBean
        }
    }

    /** @return CPU time used by every thread of this process so far, in nanoseconds */
    static long cpuNanos() {
        if (CLOCK_GETTIME != null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment timespec = arena.allocate(16, 8);
                int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, timespec);
                if (rc == 0) {
                    return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
                }
            } catch (Throwable e) {
                // Fall through to the MXBean.
            }
        }
        return OS.getProcessCpuTime();
    }

    /** @return collections so far, summed over all collectors */
    static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(c -> c > 0).sum();
    }

    /** @return milliseconds spent collecting so far, summed over all collectors */
    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }
}
