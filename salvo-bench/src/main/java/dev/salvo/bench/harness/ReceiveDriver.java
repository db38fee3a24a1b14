package dev.salvo.bench.harness;

import dev.salvo.bench.report.Json;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Inside a receiver child JVM: binds a {@link JavaReceiver}, waits for the first datagram, lets
 * the JIT settle, then samples the receiver's count, CPU time and GC totals at both edges of the
 * timed window. After the harness says stop it waits for the count to stand still (the socket is
 * drained) and reports the total, from which the harness computes loss. A receiver with several
 * sockets or channels also reports how the window's datagrams split over them.
 */
final class ReceiveDriver {
    private static final long POLL_NANOS = 1_000_000L;
    /**
     * How long the driver sleeps at a time while the settle period and the window run: it only
     * waits for their end (woken early to land on it exactly) and for a stop. Waking every
     * millisecond instead cost the measured process about 2,000 context switches a second, on the
     * cores the receiver and its feeder need.
     */
    private static final long WINDOW_POLL_NANOS = 20_000_000L;
    private static final long QUIET_NANOS = 50_000_000L;
    private static final long MAX_DRAIN_NANOS = 2_000_000_000L;
    /** Above this many sockets the per-socket split is left out of the result (it says little). */
    private static final int MAX_SPLIT = 64;

    private ReceiveDriver() {
    }

    /**
     * Runs one receive measurement.
     *
     * @param receiver the contender
     * @param spec     the run's parameters
     * @param stop     the harness's stop request
     * @param out      where protocol lines go
     * @throws Exception when the receiver fails
     */
    static void run(JavaReceiver receiver, ReceiveSpec spec, StopSignal stop, PrintStream out) throws Exception {
        int port = spec.sockets() == 1
                ? receiver.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), spec.payload()).getPort()
                : PortRange.bind(receiver, spec.sockets(), spec.payload());
        try {
            out.println("READY {\"port\":" + port + "}");
            long hardEnd = System.nanoTime() + spec.limitMillis() * 1_000_000L;
            Map<String, Object> result = new LinkedHashMap<>();
            if (waitUntil(() -> receiver.received() > 0, Long.MAX_VALUE, hardEnd, stop::requested, POLL_NANOS)) {
                out.println("PHASE settle");
                waitUntil(() -> false, System.nanoTime() + spec.settleMillis() * 1_000_000L, hardEnd, stop::requested,
                        WINDOW_POLL_NANOS);
                Sample start = Sample.take(receiver);
                out.println("PHASE window");
                waitUntil(() -> false, start.nanos + spec.windowMillis() * 1_000_000L, hardEnd, stop::requested,
                        WINDOW_POLL_NANOS);
                Sample end = Sample.take(receiver);
                out.println("PHASE done");
                result.put("datagrams", end.received - start.received);
                result.put("elapsed_ns", end.nanos - start.nanos);
                result.put("cpu_ns", end.cpu - start.cpu);
                result.put("gc_count", end.gcCount - start.gcCount);
                result.put("gc_ms", end.gcMillis - start.gcMillis);
                if (end.perSocket.length > 1 && end.perSocket.length <= MAX_SPLIT) {
                    result.put("split", split(start.perSocket, end.perSocket));
                }
            }
            waitUntil(stop::requested, Long.MAX_VALUE, hardEnd, () -> false, POLL_NANOS);
            result.put("received_total", drained(receiver));
            out.println("RESULT " + Json.write(result));
        } finally {
            receiver.close();
        }
    }

    /** The window's datagrams per socket (zeros where a count was not there at the start). */
    private static List<Long> split(long[] start, long[] end) {
        List<Long> counts = new ArrayList<>(end.length);
        for (int i = 0; i < end.length; i++) {
            counts.add(end[i] - (i < start.length ? start[i] : 0));
        }
        return counts;
    }

    /** Waits for the count to stop moving: what is still queued in the socket gets counted. */
    private static long drained(JavaReceiver receiver) {
        long last = receiver.received();
        long quietSince = System.nanoTime();
        long giveUp = quietSince + MAX_DRAIN_NANOS;
        while (System.nanoTime() - quietSince < QUIET_NANOS && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(POLL_NANOS);
            long now = receiver.received();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        return last;
    }

    /**
     * Sleeps in steps of at most {@code pollNanos}, never past the deadline or the hard limit,
     * until the condition holds, the deadline passes, or the run must end.
     *
     * @return true when the condition came true (or the deadline passed) before a stop or the limit
     */
    private static boolean waitUntil(Condition condition, long deadline, long hardEnd, Condition stop,
                                     long pollNanos) {
        while (true) {
            if (condition.holds()) {
                return true;
            }
            long now = System.nanoTime();
            if (now >= hardEnd || stop.holds()) {
                return false;
            }
            if (now >= deadline) {
                return true;
            }
            LockSupport.parkNanos(Math.min(pollNanos, Math.min(deadline, hardEnd) - now));
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds();
    }

    private record Sample(long nanos, long received, long[] perSocket, long cpu, long gcCount, long gcMillis) {
        static Sample take(JavaReceiver receiver) {
            return new Sample(System.nanoTime(), receiver.received(), receiver.receivedPerSocket(), ProcessCpu.cpuNanos(),
                    ProcessCpu.gcCount(), ProcessCpu.gcMillis());
        }
    }

    /**
     * The parameters of one receive run.
     *
     * @param payload      datagram payload in bytes
     * @param settleMillis wait after the first datagram before the window opens (JIT warm-up)
     * @param windowMillis the timed window; 0 measures nothing and only counts the total
     * @param limitMillis  the hard limit on the whole run
     * @param sockets      sockets on consecutive ports, read by one loop (1 for the usual single socket)
     */
    record ReceiveSpec(int payload, long settleMillis, long windowMillis, long limitMillis, int sockets) {
        /** Checks the socket count. */
        ReceiveSpec {
            if (sockets < 1 || sockets > PortRange.MAX_SOCKETS) {
                throw new IllegalArgumentException("sockets must be 1.." + PortRange.MAX_SOCKETS + ", not " + sockets);
            }
        }
    }
}
