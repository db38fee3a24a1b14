package dev.salvo.bench.jmh;

import dev.salvo.EventLoop;
import dev.salvo.EventLoopGroup;
import dev.salvo.LoopTimer;
import dev.salvo.TransportType;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How late loop timers fire on an otherwise idle loop with 10,000 live timers: each timer is
 * armed at a random delay of 1 to 200 ms, records {@code now - deadline} when it fires, and is
 * re-armed, until {@code samples} firings were recorded after {@value #WARM_UP} unrecorded ones
 * (bounded also by 60 s). Prints p50, p99,
 * p99.9 and max lateness in microseconds, per transport.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp salvo-bench/target/benchmarks.jar
 * dev.salvo.bench.jmh.TimerLateness [samples]}.
 */
public final class TimerLateness {
    private static final int LIVE = 10_000;
    private static final int WARM_UP = 200_000;

    private TimerLateness() {
    }

    /**
     * @param args optional number of samples per transport (default 100,000)
     * @throws Exception when a loop fails
     */
    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.println("load average: " + java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        for (TransportType transport : new TransportType[] {TransportType.EPOLL, TransportType.NIO}) {
            long[] lateness = measure(transport, samples);
            Arrays.sort(lateness);
            System.out.printf("%-5s live=%d samples=%d lateness us: p50=%.1f p99=%.1f p99.9=%.1f max=%.1f%n",
                    transport, LIVE, lateness.length, pct(lateness, 0.50), pct(lateness, 0.99),
                    pct(lateness, 0.999), lateness[lateness.length - 1] / 1e3);
        }
    }

    private static void arm(LoopTimer t, long[] deadlines, int id, SplittableRandom random) {
        t.schedule(1_000 + random.nextInt(199_000), TimeUnit.MICROSECONDS);
        deadlines[id] = t.deadlineNanos();
    }

    private static double pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e3;
    }

    private static long[] measure(TransportType transport, int samples) throws Exception {
        long[] lateness = new long[samples];
        int[] count = new int[1];
        int[] warmUp = {WARM_UP};
        CountDownLatch enough = new CountDownLatch(1);
        try (EventLoopGroup group = EventLoopGroup.create(1, transport)) {
            EventLoop loop = group.next();
            SplittableRandom random = new SplittableRandom(42);
            LoopTimer[] timers = new LoopTimer[LIVE];
            long[] deadlines = new long[LIVE]; // a fired one-shot timer has no deadline any more
            for (int i = 0; i < LIVE; i++) {
                int id = i;
                timers[i] = loop.newTimer(() -> {
                    long late = System.nanoTime() - deadlines[id];
                    if (warmUp[0] > 0) {
                        warmUp[0]--; // the first firings run while the JIT compiles the loop
                    } else if (count[0] < samples) {
                        lateness[count[0]++] = late;
                        if (count[0] == samples) {
                            enough.countDown();
                        }
                    }
                    arm(timers[id], deadlines, id, random);
                });
            }
            loop.execute(() -> {
                for (int i = 0; i < LIVE; i++) {
                    arm(timers[i], deadlines, i, random);
                }
            });
            enough.await(60, TimeUnit.SECONDS);
            CountDownLatch stopped = new CountDownLatch(1);
            loop.execute(() -> {
                for (LoopTimer t : timers) {
                    t.cancel();
                }
                stopped.countDown();
            });
            stopped.await(10, TimeUnit.SECONDS);
            int n = Math.min(samples, count[0]);
            return Arrays.copyOf(lateness, n);
        }
    }
}
