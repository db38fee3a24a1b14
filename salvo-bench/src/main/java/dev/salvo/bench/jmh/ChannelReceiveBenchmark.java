package dev.salvo.bench.jmh;

import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.TransportType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
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
 * The whole receive side of a channel on its event loop, for allocation: the epoll wake-up, the
 * channel's read loop (budget, counters, the drop and truncation bookkeeping after each read
 * event), the transport's reads and the handler call. {@code ReceivePath} measures the
 * transport's read alone; this adds what a {@code DatagramChannel} does around it.
 *
 * <p>Each invocation sends 64 datagrams from a JDK socket and waits until the handler has seen
 * them, so its time is a burst's end-to-end latency across two threads, not a per-datagram cost
 * to compare. The figure that matters is printed after each iteration as "loop thread: X
 * B/datagram": the event loop thread's own allocation counter across the iteration, divided by
 * the datagrams it delivered. Run with {@code scripts/jmh ChannelReceive}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ChannelReceiveBenchmark {
    private static final int BURST = 64;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** {@code plain}: no metadata; {@code meta}: ECN, packet info and timestamps on, read by the handler. */
    @Param({"plain", "meta"})
    public String metadata;

    private EventLoopGroup group;
    private DatagramChannel channel;
    private java.nio.channels.DatagramChannel feeder;
    private InetSocketAddress target;
    private final ByteBuffer payload = ByteBuffer.allocateDirect(64);
    private final Counter counter = new Counter();
    private long loopThread;
    private long allocatedAtStart;
    private long deliveredAtStart;
    private long expected;

    /** Counts on the loop thread; publishes once per read batch. */
    static final class Counter implements ChannelHandler {
        private long count;
        private long touched;
        volatile long published;

        @Override
        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
            count++;
            touched += d.length() + d.timestampNanos() + d.interfaceIndex() + (d.ecn() == null ? 0 : 1)
                    + (d.destination() == null ? 0 : 1) + (System.identityHashCode(d.sender()) & 1);
        }

        @Override
        public void onReadComplete(DatagramChannel ch) {
            published = count;
        }
    }

    /** Opens the channel on a one-loop group and the feeder; learns the loop thread's id. */
    @Setup
    public void setUp() throws Exception {
        group = EventLoopGroup.create(1, TransportType.EPOLL);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        DatagramChannel.Builder b = DatagramChannel.builder(group)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.MAX_DATAGRAM_SIZE, 2048)
                .handler(counter);
        if (metadata.equals("meta")) {
            b.option(ChannelOption.RECEIVE_ECN, true).option(ChannelOption.RECEIVE_PACKET_INFO, true)
                    .option(ChannelOption.RECEIVE_TIMESTAMP, true);
        }
        channel = b.bind(new InetSocketAddress(loopback, 0));
        target = (InetSocketAddress) channel.localAddress();
        loopThread = CompletableFuture.supplyAsync(() -> Thread.currentThread().threadId(), channel.eventLoop())
                .get(10, TimeUnit.SECONDS);
        feeder = java.nio.channels.DatagramChannel.open(StandardProtocolFamily.INET);
        feeder.bind(new InetSocketAddress(loopback, 0));
    }

    /** Notes the loop thread's allocation counter before an iteration. */
    @Setup(Level.Iteration)
    public void startIteration() {
        allocatedAtStart = THREADS.getThreadAllocatedBytes(loopThread);
        deliveredAtStart = counter.published;
    }

    /** Prints what the loop thread allocated per datagram in the iteration. */
    @TearDown(Level.Iteration)
    public void report() {
        long bytes = THREADS.getThreadAllocatedBytes(loopThread) - allocatedAtStart;
        long datagrams = counter.published - deliveredAtStart;
        if (datagrams > 0) {
            System.out.printf(java.util.Locale.ROOT, "%nloop thread: %.4f B/datagram (%d B over %d datagrams)%n",
                    (double) bytes / datagrams, bytes, datagrams);
        }
    }

    /** Closes the channel, the group and the feeder. */
    @TearDown
    public void tearDown() throws IOException {
        channel.close().join();
        group.close();
        feeder.close();
    }

    /** @return datagrams delivered so far */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long burst() throws IOException {
        for (int i = 0; i < BURST; i++) {
            feeder.send(payload.clear(), target);
        }
        expected += BURST;
        long deadline = System.nanoTime() + WAIT_NANOS;
        // Datagrams the kernel dropped never arrive: wait a bounded time, then go on.
        while (counter.published < expected && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        expected = counter.published;
        return expected;
    }
}
