package dev.salvo.bench.jmh;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.OutboundDatagram;
import dev.salvo.SystemReport;
import dev.salvo.TransportType;
import dev.salvo.WriteCompletion;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sender's CPU per byte of {@code SENDMSG} against {@code SENDMSG_ZC} on the io_uring
 * transport, for GSO sends of 1 to 54 segments of 1,200 B (54 × 1,200 = 64,800 B is the most one
 * IPv4 UDP datagram carries; 64 × 1,200 does not fit) and 64 × 1,000 B, over loopback to a Salvo
 * receiver on another loop. Each send is one write and one flush on the sending loop; the loop
 * thread's CPU time ({@code getCurrentThreadCpuTime}) over a run of sends is the figure: the
 * kernel's copy, segmentation and the loopback delivery all run on that thread, inside
 * {@code io_uring_enter}. "ZC extra ns" is what zero copy adds per send (pinning, the
 * notification, the copy it makes anyway to a local socket). The two ways alternate, {@code rounds} times per shape, and the median
 * is printed, after one unrecorded pass over every shape to warm up both paths.
 *
 * <p>Bounded: each run is {@code sends} sends or 3 s, whichever ends first.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp <salvo-core and salvo-bench classes>
 * dev.salvo.bench.jmh.ZeroCopySendCost [sends] [rounds]}.
 */
public final class ZeroCopySendCost {
    private static final String THRESHOLD = "salvo.io_uring.zerocopyThreshold";
    private static final String LOOPBACK = "salvo.io_uring.zerocopyLoopback";
    private static final int[][] SHAPES = {{1, 1200}, {4, 1200}, {8, 1200}, {14, 1200}, {27, 1200}, {54, 1200},
        {64, 1000}};
    private static final long RUN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ZeroCopySendCost() {
    }

    /**
     * @param args optional sends per run (default 2,000) and rounds per shape (default 5)
     * @throws Exception when a loop fails
     */
    public static void main(String[] args) throws Exception {
        int sends = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.println("load average: " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int[] shape : SHAPES) { // warms up both paths before anything is recorded
            run(false, shape[0], shape[1], sends);
            run(true, shape[0], shape[1], sends);
        }
        System.out.printf("%-10s %8s %14s %14s %10s %14s %10s%n", "shape", "bytes", "SENDMSG ns/KB", "ZC ns/KB",
                "ZC/SENDMSG", "ZC extra ns", "delivered");
        for (int[] shape : SHAPES) {
            double[] copy = new double[rounds];
            double[] zc = new double[rounds];
            double delivered = 0;
            for (int r = 0; r < rounds; r++) {
                Result a = run(false, shape[0], shape[1], sends);
                Result b = run(true, shape[0], shape[1], sends);
                copy[r] = a.nanosPerKilobyte;
                zc[r] = b.nanosPerKilobyte;
                delivered += (a.delivered + b.delivered) / (2.0 * rounds);
            }
            double c = median(copy);
            double z = median(zc);
            int bytes = shape[0] * shape[1];
            System.out.printf("%3d x %-4d %8d %14.1f %14.1f %10.2f %14.0f %9.0f%%%n", shape[0], shape[1], bytes, c, z,
                    z / c, (z - c) * bytes / 1000, 100 * delivered);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /**
     * @param nanosPerKilobyte sender loop CPU per 1,000 payload bytes
     * @param delivered fraction of the segments the receiver got (the rest overflowed its buffer)
     */
    private record Result(double nanosPerKilobyte, double delivered) {
    }

    private static Result run(boolean zeroCopy, int segments, int segmentSize, int sends) throws Exception {
        System.setProperty(THRESHOLD, zeroCopy ? "1" : "off");
        System.setProperty(LOOPBACK, "true");
        try (EventLoopGroup group = EventLoopGroup.create(2, TransportType.IO_URING)) {
            if (zeroCopy && SystemReport.probe().findings().getOrDefault("io_uring zero-copy sends", "off")
                    .equals("off")) {
                throw new IllegalStateException("this kernel has no SENDMSG_ZC with usage reports");
            }
            AtomicLong received = new AtomicLong();
            DatagramChannel rx = DatagramChannel.builder(group).loop(1)
                    .option(ChannelOption.SO_RCVBUF, 16 << 20)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                            received.lazySet(received.getPlain() + 1);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DatagramChannel tx = DatagramChannel.builder(group).loop(0)
                    .option(ChannelOption.GSO_AUTO, false)
                    .open(StandardProtocolFamily.INET);
            ByteBuffer payload = ByteBuffer.allocateDirect(segments * segmentSize);
            OutboundDatagram d = OutboundDatagram.of(payload, rx.localAddress());
            if (segments > 1) {
                d = d.withSegmentSize(segmentSize);
            }
            OutboundDatagram datagram = d;
            long[] failed = new long[1];
            WriteCompletion count = failure -> {
                if (failure != null) {
                    failed[0]++;
                }
            };
            CompletableFuture<long[]> measured = CompletableFuture.supplyAsync(() -> {
                for (int i = 0; i < sends / 4; i++) { // warm up
                    tx.write(datagram, count);
                    tx.flush();
                }
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                int done = 0;
                while (done < sends && System.nanoTime() - t0 < RUN_LIMIT_NANOS) {
                    tx.write(datagram, count);
                    tx.flush();
                    done++;
                }
                return new long[] {THREADS.getCurrentThreadCpuTime() - cpu0, done};
            }, tx.eventLoop());
            long[] m = measured.get(30, TimeUnit.SECONDS);
            Thread.sleep(100); // the receiver drains
            long expected = (long) (sends / 4 + m[1]) * segments;
            if (failed[0] > 0) {
                throw new IllegalStateException(failed[0] + " sends failed");
            }
            tx.close();
            rx.close();
            return new Result(m[0] / (m[1] * segments * segmentSize / 1000.0),
                    Math.min(1.0, received.get() / (double) expected));
        }
    }
}
