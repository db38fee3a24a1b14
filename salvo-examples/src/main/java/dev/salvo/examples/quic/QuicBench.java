package dev.salvo.examples.quic;

import dev.salvo.examples.SelfSignedCertificate;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code examples/run quic-bench}: one bulk download over loopback through the same quiche driver, first
 * with both ends on Salvo, then with both ends on the JDK's {@code DatagramChannel}, in one process; prints
 * throughput and the process's CPU seconds per GiB (both ends together) for each, side by side.
 */
public final class QuicBench {
    private QuicBench() {
    }

    /** One measured download. */
    record Row(String io, long bytes, double seconds, double cpuSeconds, long serverPacketsOut) {
        double gbits() {
            return bytes * 8 / seconds / 1e9;
        }

        double cpuPerGib() {
            return cpuSeconds / (bytes / (double) (1L << 30));
        }
    }

    /**
     * Runs the comparison and prints the table.
     *
     * @param bytes the download size
     * @param ios which layers, comma separated: {@code salvo}, {@code jdk}
     * @throws Exception on failure
     */
    public static void run(long bytes, String ios) throws Exception {
        if (bytes <= 0) {
            throw new IllegalArgumentException("--bytes must be > 0");
        }
        SelfSignedCertificate cert = SelfSignedCertificate.generateTemporary();
        List<Row> rows = new ArrayList<>();
        for (String io : ios.split(",")) {
            QuicIoKind kind;
            try {
                kind = QuicIoKind.valueOf(io.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--io takes salvo, jdk or both, got '" + io + "'");
            }
            download(kind, cert, Math.min(bytes, 16L << 20)); // warm-up: JIT, page faults, socket buffers
            Row row = download(kind, cert, bytes);
            rows.add(row);
            System.out.printf("%-22s %,d bytes in %.2f s%n", row.io(), row.bytes(), row.seconds());
        }
        System.out.println();
        System.out.printf("%-22s %10s %14s %14s%n", "I/O under quiche", "Gbit/s", "CPU s/GiB", "server pkts");
        for (Row r : rows) {
            System.out.printf("%-22s %10.2f %14.2f %14d%n", r.io(), r.gbits(), r.cpuPerGib(), r.serverPacketsOut());
        }
        if (rows.size() == 2) {
            System.out.printf("%nratio %s/%s: throughput %.2fx, CPU per GiB %.2fx%n", rows.get(0).io(), rows.get(1).io(),
                    rows.get(0).gbits() / rows.get(1).gbits(), rows.get(0).cpuPerGib() / rows.get(1).cpuPerGib());
        }
    }

    static Row download(QuicIoKind kind, SelfSignedCertificate cert, long bytes) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (QuicRuntime server = kind.server(any, cert, null); QuicRuntime client = kind.client(any, null)) {
            DemoClient app = new DemoClient();
            var done = app.download(bytes);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            QuicIoKind.connect(client, server.localAddress(), app);
            long got = done.get(Math.max(60, bytes >> 24), TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            long cpu1 = cpuNanos();
            return new Row(server.ioName(), got, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, server.endpoint().packetsOut());
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
