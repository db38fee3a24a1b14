package dev.salvo.bench.harness;

import dev.salvo.bench.report.Json;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inside a sender child JVM: drives a {@link JavaSender} through a time-based warm-up and a timed
 * window, and prints what it sent in the window, how long the window really was, and the
 * process CPU time the window cost.
 */
final class SendDriver {
    private SendDriver() {
    }

    /**
     * Runs one send measurement.
     *
     * @param sender the contender
     * @param spec   the run's parameters
     * @param stop   the harness's stop request
     * @param out    where protocol lines go
     * @throws Exception when the sender fails
     */
    static void run(JavaSender sender, SendSpec spec, StopSignal stop, PrintStream out) throws Exception {
        sender.open(spec.target(), spec.payload());
        try {
            out.println("PHASE warmup");
            long start = System.nanoTime();
            long warmEnd = start + spec.warmupMillis() * 1_000_000L;
            long windowEnd = warmEnd + spec.windowMillis() * 1_000_000L;
            long hardEnd = start + spec.limitMillis() * 1_000_000L;
            long total = 0;
            long inWindow = 0;
            long t0 = 0;
            long c0 = 0;
            boolean windowOpen = false;
            while (true) {
                long now = System.nanoTime();
                if (!windowOpen && now >= warmEnd) {
                    windowOpen = true;
                    t0 = now;
                    c0 = ProcessCpu.cpuNanos();
                    out.println("PHASE window");
                }
                if ((windowOpen && now >= windowEnd) || now >= hardEnd || total >= spec.maxDatagrams()
                        || stop.requested()) {
                    break;
                }
                int sent = sender.sendSome();
                total += sent;
                if (windowOpen) {
                    inWindow += sent;
                }
            }
            long elapsed = windowOpen ? System.nanoTime() - t0 : 0;
            long cpu = windowOpen ? ProcessCpu.cpuNanos() - c0 : 0;
            total += sender.finish();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("datagrams", inWindow);
            result.put("elapsed_ns", elapsed);
            result.put("cpu_ns", cpu);
            result.put("sent_total", total);
            out.println("RESULT " + Json.write(result));
        } finally {
            sender.close();
        }
    }

    /**
     * The parameters of one send run, as the harness passes them on the child's command line.
     *
     * @param target        where to send (127.0.0.1 only)
     * @param payload       datagram payload in bytes
     * @param warmupMillis  warm-up before the window
     * @param windowMillis  the timed window
     * @param limitMillis   the hard limit on the whole run
     * @param maxDatagrams  the hard limit on datagrams sent
     */
    record SendSpec(InetSocketAddress target, int payload, long warmupMillis, long windowMillis,
                    long limitMillis, long maxDatagrams) {
    }
}
