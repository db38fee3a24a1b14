package dev.salvo.bench.jmh;

import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.TransportType;
import dev.salvo.WaterMark;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * The whole FFM send path, per datagram: a real {@link DatagramChannel} on an epoll event loop,
 * bound to 127.0.0.1, sending to a bound socket that is never read (the kernel drops what does
 * not fit its buffer, so sends never block). One datagram goes through {@code write} (no
 * completion), the write engine, {@code LinuxDatagramWriter} and {@code sendmmsg}.
 *
 * <p><b>Handoff.</b> Writes only avoid allocation on the loop thread, so the writes run there: one
 * JMH invocation hands one pre-built task to the loop and parks until the loop has run it. The
 * task does {@value #BATCHES} rounds of 64 writes + flush (1,024 datagrams, one {@code sendmmsg}
 * per 64), so the handoff (an eventfd wake-up and an unpark, about 10–30 µs) is amortised over
 * ~2.5 ms of sending: under 1.5% of the figure. The handoff itself allocates nothing (the task
 * and the completion flag are reused; the event loop's task queue allocates no node).
 *
 * {@link #handoffOnly()} measures the handoff alone, normalised the same way.
 *
 * <p>Run with {@code scripts/jmh SendPath -prof gc}. The time is ns per datagram, mostly the
 * kernel's. {@code gc.alloc.rate.norm} is bytes per datagram over the whole JVM, JMH's own
 * threads included (compare with {@code handoffOnly}, which sends nothing); the exact figure for
 * the send path is printed after each iteration as "loop thread: X B/datagram", measured with the
 * loop thread's own allocation counter around the writes (0 when nothing is allocated).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SendPathBenchmark {
    private static final int BATCH = 64;
    private static final int BATCHES = 16;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What the payload is: a heap buffer (copied to native memory), a direct buffer, or a native segment. */
    @Param({"heap", "direct", "segment"})
    public String payloadKind;

    /** Payload bytes. */
    @Param({"64", "1200"})
    public int size;

    private EventLoopGroup group;
    private DatagramChannel channel;
    private java.nio.channels.DatagramChannel sink;
    private Arena arena;
    private InetSocketAddress target;
    private ByteBuffer buffer;
    private MemorySegment segment;
    private Thread caller;
    private volatile boolean done;
    private final Runnable burst = this::burst;
    private final Runnable nothing = this::signal;
    private long loopAllocated; // loop thread only, read after the handoff
    private long datagrams;

    /** Opens the sink, the loop and the channel. */
    @Setup
    public void setUp() throws IOException {
        sink = java.nio.channels.DatagramChannel.open(StandardProtocolFamily.INET);
        sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        target = (InetSocketAddress) sink.getLocalAddress();
        group = EventLoopGroup.create(1, TransportType.EPOLL);
        channel = DatagramChannel.builder(group)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WaterMark(1 << 20, 4 << 20))
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        arena = Arena.ofShared();
        buffer = switch (payloadKind) {
            case "heap" -> ByteBuffer.allocate(size);
            case "direct", "segment" -> ByteBuffer.allocateDirect(size);
            default -> throw new IllegalArgumentException(payloadKind);
        };
        segment = arena.allocate(size);
        caller = Thread.currentThread();
    }

    /** Closes everything. */
    @TearDown
    public void tearDown() throws IOException {
        channel.close().join();
        group.close();
        sink.close();
        arena.close();
    }

    /** Prints what the loop thread allocated per datagram in this iteration. */
    @TearDown(Level.Iteration)
    public void report() {
        if (datagrams > 0) {
            System.out.printf(java.util.Locale.ROOT, "%nloop thread: %.4f B/datagram (%d B over %d datagrams)%n",
                    (double) loopAllocated / datagrams, loopAllocated, datagrams);
        }
        loopAllocated = 0;
        datagrams = 0;
    }

    /** @return whether the burst ran (a value JMH consumes) */
    @Benchmark
    @OperationsPerInvocation(BATCH * BATCHES)
    public boolean send() {
        return handOff(burst);
    }

    /** @return the handoff alone (an empty task), to show what it adds to {@link #send()} */
    @Benchmark
    @OperationsPerInvocation(BATCH * BATCHES)
    public boolean handoffOnly() {
        return handOff(nothing);
    }

    private boolean handOff(Runnable task) {
        done = false;
        channel.eventLoop().execute(task);
        // Bounded wait: the task takes at most milliseconds; parkNanos guards against a lost unpark.
        while (!done) {
            LockSupport.parkNanos(this, 1_000_000);
        }
        return done;
    }

    private void signal() {
        done = true;
        LockSupport.unpark(caller);
    }

    /** On the loop thread: the measured work. */
    private void burst() {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        boolean segmentPayload = payloadKind.equals("segment");
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < BATCH; i++) {
                if (segmentPayload) {
                    channel.write(segment, target, null);
                } else {
                    channel.write(buffer, target);
                }
            }
            channel.flush();
        }
        loopAllocated += THREADS.getCurrentThreadAllocatedBytes() - before;
        datagrams += BATCH * BATCHES;
        signal();
    }
}
