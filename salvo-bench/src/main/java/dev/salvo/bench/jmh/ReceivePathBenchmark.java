package dev.salvo.bench.jmh;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.OutboundDatagram;
import dev.salvo.InboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.read.ReadSink;
import dev.salvo.transport.AddressFamily;
import dev.salvo.transport.SocketOps;
import dev.salvo.transport.Transport;
import dev.salvo.channel.Transports;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The epoll transport's receive path, per datagram: one {@code SocketOps.read} of 64 datagrams
 * ({@code recvmmsg}, metadata decoding, sender lookup in the loop's cache, one reused view per
 * datagram) into a sink that counts and touches each datagram's length and sender.
 *
 * <p>Before each invocation (untimed), a JDK socket on the same host puts 64 datagrams in the
 * receiving socket's queue; the timed part only drains them. Loopback delivery happens inside the
 * sender's system call, so they are all queued when the read starts (the read is retried, a
 * bounded number of times, if the kernel deferred some). Invocation-level setup costs JMH a few
 * timestamps per invocation, small next to 64 receives.
 *
 * <p>One row per address family and metadata mix ({@link #path}); the {@code gro} row is fed by
 * GSO sends from a Salvo channel, so every message the read takes holds many datagrams.
 *
 * <p>Run with {@code scripts/jmh ReceivePath -prof gc}. {@code gc.alloc.rate.norm} is bytes per
 * datagram over the whole JVM, including the untimed feeding and JMH's own threads; the exact
 * figure for the read path is printed after each iteration as "read: X B/datagram", measured with
 * the thread's own allocation counter around the reads (0: the view, the sender address and the
 * batch are all reused).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReceivePathBenchmark {
    private static final int BATCH = 64;
    /** The largest UDP payload over IPv4, the most one GSO send carries. */
    private static final int MAX_UDP_PAYLOAD = 65_507;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Payload bytes. */
    @Param({"64", "1200"})
    public int size;

    /**
     * What arrives and what is asked of it: {@code v4} an IPv4 socket; {@code v6} an IPv6 socket
     * fed over {@code ::1}; {@code v4mapped} a dual-stack IPv6 socket fed over IPv4 (senders
     * arrive as IPv4-mapped {@code sockaddr_in6}); {@code meta} IPv4 with ECN, packet info and
     * timestamps all on, the sink reading each; {@code gro} IPv4 with {@code UDP_GRO}, fed by GSO
     * sends, so that each message is split back into datagrams.
     */
    @Param({"v4", "v6", "v4mapped", "meta", "gro"})
    public String path;

    private Transport.LoopResources loop;
    private SocketOps socket;
    private java.nio.channels.DatagramChannel feeder;
    private EventLoopGroup gsoGroup;
    private DatagramChannel gsoFeeder;
    private ByteBuffer gsoPayload;
    private InetSocketAddress target;
    private ByteBuffer payload;
    private final CountingSink sink = new CountingSink();
    private long readAllocated;
    private long readCount;

    /**
     * Counts datagrams and bytes, and reads the sender and every metadata field so that none of
     * their decoding can be skipped.
     */
    static final class CountingSink implements ReadSink {
        long datagrams;
        long bytes;
        int senders;
        long metadata;

        @Override
        public void accept(InboundDatagram datagram) {
            datagrams++;
            bytes += datagram.length();
            senders += System.identityHashCode(datagram.sender()) & 1;
            metadata += datagram.timestampNanos() + datagram.interfaceIndex() + datagram.segmentSize()
                    + (datagram.ecn() == null ? 0 : 1) + (datagram.destination() == null ? 0 : 2);
        }
    }

    /** Opens the receiving socket on an epoll loop's resources, and the feeder. */
    @Setup
    public void setUp() throws IOException {
        Transport transport = Transports.resolve(TransportType.EPOLL);
        loop = transport.newLoop();
        boolean v6Socket = path.equals("v6") || path.equals("v4mapped");
        socket = loop.openDatagram(v6Socket ? AddressFamily.INET6 : AddressFamily.INET);
        socket.setOption(ChannelOption.SO_RCVBUF, 4 << 20);
        socket.setOption(ChannelOption.MAX_DATAGRAM_SIZE, Math.max(size, 1));
        if (path.equals("meta")) {
            socket.setOption(ChannelOption.RECEIVE_ECN, true);
            socket.setOption(ChannelOption.RECEIVE_PACKET_INFO, true);
            socket.setOption(ChannelOption.RECEIVE_TIMESTAMP, true);
        }
        if (path.equals("gro")) {
            socket.setOption(ChannelOption.UDP_GRO, true);
        }
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        socket.bind(new InetSocketAddress(switch (path) {
            case "v6" -> v6;
            case "v4mapped" -> InetAddress.getByName("::");
            default -> v4;
        }, 0));
        int port = ((InetSocketAddress) socket.localAddress()).getPort();
        target = new InetSocketAddress(path.equals("v6") ? v6 : v4, port);
        feeder = java.nio.channels.DatagramChannel.open(
                path.equals("v6") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        feeder.bind(new InetSocketAddress(target.getAddress(), 0));
        payload = ByteBuffer.allocateDirect(size);
        if (path.equals("gro")) {
            gsoGroup = EventLoopGroup.create(1, TransportType.EPOLL);
            gsoFeeder = DatagramChannel.builder(gsoGroup).bind(new InetSocketAddress(v4, 0));
            if (!gsoFeeder.offloadStats().gso()) {
                throw new IllegalStateException("the gro row needs UDP GSO to feed coalesced messages");
            }
            gsoPayload = ByteBuffer.allocateDirect(BATCH * size);
        }
    }

    /** Datagrams per GSO send of the {@code gro} row: 64 x 64 B in one, 1200 B in runs of 54. */
    private int gsoRun() {
        return Math.min(BATCH, MAX_UDP_PAYLOAD / size);
    }

    /** Queues the next 64 datagrams (untimed). */
    @Setup(Level.Invocation)
    public void feed() throws IOException {
        if (gsoFeeder != null) {
            int run = gsoRun();
            for (int sent = 0; sent < BATCH; sent += run) {
                int n = Math.min(run, BATCH - sent);
                ByteBuffer p = gsoPayload.duplicate().clear().limit(n * size);
                gsoFeeder.writeAndFlush(new OutboundDatagram(p, target, null, size, null)).join();
            }
            return;
        }
        for (int i = 0; i < BATCH; i++) {
            payload.clear();
            feeder.send(payload, target);
        }
    }

    /** Prints what the reads allocated per datagram in this iteration. */
    @TearDown(Level.Iteration)
    public void report() {
        if (readCount > 0) {
            System.out.printf(java.util.Locale.ROOT, "%nread: %.4f B/datagram (%d B over %d datagrams)%n",
                    (double) readAllocated / readCount, readAllocated, readCount);
        }
        readAllocated = 0;
        readCount = 0;
    }

    /** Closes both sockets and the loop's memory. */
    @TearDown
    public void tearDown() throws IOException {
        socket.close();
        loop.close();
        feeder.close();
        if (gsoGroup != null) {
            gsoFeeder.close().join();
            gsoGroup.close();
        }
    }

    /** @return datagrams counted so far */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long read() {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        int got = 0;
        for (int attempt = 0; attempt < 1_000 && got < BATCH; attempt++) {
            int n = socket.read(sink, BATCH - got);
            if (n == SocketOps.READ_FAILED) {
                throw new IllegalStateException("read failed: " + socket.lastReadError());
            }
            got += n;
        }
        readAllocated += THREADS.getCurrentThreadAllocatedBytes() - before;
        readCount += got;
        return sink.datagrams;
    }
}
