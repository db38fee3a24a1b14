package dev.salvo.bench.jmh;

import dev.salvo.ChannelOption;
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
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Payload bytes. */
    @Param({"64", "1200"})
    public int size;

    private Transport.LoopResources loop;
    private SocketOps socket;
    private java.nio.channels.DatagramChannel feeder;
    private InetSocketAddress target;
    private ByteBuffer payload;
    private final CountingSink sink = new CountingSink();
    private long readAllocated;
    private long readCount;

    /** Counts datagrams and bytes, and reads the sender so that its lookup cannot be skipped. */
    static final class CountingSink implements ReadSink {
        long datagrams;
        long bytes;
        int senders;

        @Override
        public void accept(InboundDatagram datagram) {
            datagrams++;
            bytes += datagram.length();
            senders += System.identityHashCode(datagram.sender()) & 1;
        }
    }

    /** Opens the receiving socket on an epoll loop's resources, and the feeder. */
    @Setup
    public void setUp() throws IOException {
        Transport transport = Transports.resolve(TransportType.EPOLL);
        loop = transport.newLoop();
        socket = loop.openDatagram(AddressFamily.INET);
        socket.setOption(ChannelOption.SO_RCVBUF, 4 << 20);
        socket.setOption(ChannelOption.MAX_DATAGRAM_SIZE, Math.max(size, 1));
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        target = (InetSocketAddress) socket.localAddress();
        feeder = java.nio.channels.DatagramChannel.open(StandardProtocolFamily.INET);
        feeder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        payload = ByteBuffer.allocateDirect(size);
    }

    /** Queues the next 64 datagrams (untimed). */
    @Setup(Level.Invocation)
    public void feed() throws IOException {
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
