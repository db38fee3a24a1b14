package dev.salvo.cli;

import dev.salvo.AbstractUnixAddress;
import dev.salvo.ChannelHandler;
import dev.salvo.ChannelOption;
import dev.salvo.DatagramChannel;
import dev.salvo.EventLoopGroup;
import dev.salvo.InboundDatagram;
import dev.salvo.TransportType;
import dev.salvo.WaterMark;
import dev.salvo.WriteCompletion;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code salvo soak}: a bounded stress run on loopback. Several channels on two event loops send
 * datagrams of mixed sizes, some with completions and some fire-and-forget, while faults are
 * injected: oversize datagrams, writes to a closed port, channels closed with writes pending and
 * reopened, and back-pressure from a slow unix-domain receiver. At the end it prints what was sent,
 * received and failed (by kind), checks that every tracked write completed exactly once, and
 * compares heap (after GC) and resident memory before and after. Exit 0 when every check holds, 1
 * otherwise.
 */
@Command(name = "soak",
        mixinStandardHelpOptions = true,
        description = "Bounded stress run with injected faults; checks exactly-once completions and flat memory.")
public final class SoakCommand implements Callable<Integer> {
    /** Heap in use after GC may grow by at most this much between the warm-up and the end. */
    static final long HEAP_BOUND = 32L << 20;
    /**
     * Native memory in use from malloc (glibc {@code mallinfo2}: small blocks plus mmapped large
     * ones, which is where FFM arenas come from) may grow by at most this much over the second half
     * of the run. The first half absorbs warm-up; a native leak keeps growing with traffic.
     * Resident memory (VmRSS) is printed too but not judged: it mostly follows the GC touching heap
     * regions it already committed, which is not a leak.
     */
    static final long MALLOC_BOUND = 16L << 20;
    /** With NMT on, native memory outside the heap ("Other": malloc and FFM arenas) may grow by at most this much. */
    static final long NMT_OTHER_BOUND = 8L << 20;
    private static final int TRACK_CAPACITY = 1 << 22;
    private static final int OVERSIZE = 70_000;
    private static final WaterMark UNIX_MARKS = new WaterMark(4 * 1024, 16 * 1024);

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds to run, 1 to 3600 (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--channels", defaultValue = "6", description = "Sending channels, 1 to 64 (default ${DEFAULT-VALUE}).")
    int channelCount;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "NAME",
            description = "auto, epoll or nio, in any case, as -Dsalvo.transport takes them (default: auto).")
    TransportType transport;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    // ---- counters ----
    private final AtomicIntegerArray completions = new AtomicIntegerArray(TRACK_CAPACITY);
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder trackedSentToSink = new LongAdder();
    private final LongAdder untrackedIssued = new LongAdder();
    private final LongAdder unixSent = new LongAdder();
    private final LongAdder unixReceived = new LongAdder();
    private final LongAdder unixFlips = new LongAdder();
    private final LongAdder reopened = new LongAdder();
    private long untrackedFailed;

    private EventLoopGroup group;
    private DatagramChannel sink;
    private SocketAddress sinkAddress;
    private SocketAddress deadPort;
    private DatagramChannel[] senders;
    private boolean[] connected;
    private DatagramChannel refused;
    private DatagramChannel unixTx;
    private DatagramChannel unixRx;
    private AbstractUnixAddress unixAddress;
    private UnixProducer unixProducer;

    @Override
    public Integer call() throws Exception {
        if (durationSeconds < 1 || durationSeconds > 3600) {
            throw new ParameterException(spec.commandLine(), "--duration must be 1 to 3600 seconds, got " + durationSeconds);
        }
        if (channelCount < 1 || channelCount > 64) {
            throw new ParameterException(spec.commandLine(), "--channels must be 1 to 64, got " + channelCount);
        }
        PrintWriter out = spec.commandLine().getOut();
        group = EventLoopGroup.create(2, transport);
        try {
            return run(out);
        } finally {
            group.close();
        }
    }

    private int run(PrintWriter out) throws Exception {
        setUp();
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        long warmUp = start + TimeUnit.MILLISECONDS.toNanos(Math.min(2_000, durationSeconds * 200L));
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        long half = start + (end - start) / 2;
        Memory before = null;
        Memory middle = null;
        long rounds = 0;
        while (System.nanoTime() < end) {
            if (before == null && System.nanoTime() >= warmUp) {
                before = Memory.measure();
            }
            if (middle == null && System.nanoTime() >= half) {
                middle = Memory.measure();
            }
            round(random);
            rounds++;
            // Keep the number of writes in flight bounded: this run is about correctness, not speed.
            while (nextId.get() - completed.get() > 50_000 && System.nanoTime() < end) {
                LockSupport.parkNanos(100_000);
            }
            LockSupport.parkNanos(100_000);
        }
        if (before == null) {
            before = Memory.measure();
        }
        if (middle == null) {
            middle = before;
        }
        int issued = Math.min(nextId.get(), TRACK_CAPACITY);
        tearDownChannels();
        boolean allCompleted = waitFor(() -> completed.get() >= issued, 20_000);
        Thread.sleep(100); // a second completion of any write would land now
        long missing = 0;
        long doubled = 0;
        for (int i = 0; i < issued; i++) {
            int c = completions.get(i);
            if (c == 0) {
                missing++;
            } else if (c > 1) {
                doubled++;
            }
        }
        Memory after = Memory.measure();
        long sinkReceived = sink.datagramsRead();
        long sinkDrops = sink.kernelDrops();
        sink.close().get(10, TimeUnit.SECONDS);
        long sentToSink = trackedSentToSink.sum() + untrackedIssued.sum() - untrackedFailed;

        List<String> problems = new ArrayList<>();
        if (!allCompleted || missing > 0) {
            problems.add(missing + " tracked writes never completed");
        }
        if (doubled > 0) {
            problems.add(doubled + " tracked writes completed more than once");
        }
        if (sinkReceived > sentToSink) {
            problems.add("the sink received more (" + sinkReceived + ") than was sent to it (" + sentToSink + ")");
        }
        if (unixTx != null && unixReceived.sum() != unixSent.sum()) {
            problems.add("unix datagrams lost: sent " + unixSent.sum() + ", received " + unixReceived.sum());
        }
        if (failures.getOrDefault("DatagramTooLargeException", new LongAdder()).sum() == 0) {
            problems.add("no oversize datagram was refused");
        }
        long heapGrowth = after.heapUsed - before.heapUsed;
        long mallocGrowth = after.mallocInUse - middle.mallocInUse;
        long nmtGrowth = after.nmtOther - before.nmtOther;
        if (heapGrowth > HEAP_BOUND) {
            problems.add("heap after GC grew by " + mib(heapGrowth) + " (bound " + mib(HEAP_BOUND) + ")");
        }
        if (before.mallocInUse >= 0 && mallocGrowth > MALLOC_BOUND) {
            problems.add("native (malloc) memory grew by " + mib(mallocGrowth) + " over the second half (bound "
                    + mib(MALLOC_BOUND) + ")");
        }
        if (before.nmtOther >= 0 && nmtGrowth > NMT_OTHER_BOUND) {
            problems.add("NMT 'Other' (malloc, FFM arenas) grew by " + mib(nmtGrowth) + " (bound "
                    + mib(NMT_OTHER_BOUND) + ")");
        }

        out.println("soak: " + durationSeconds + " s, transport " + group.transportName() + ", " + channelCount
                + " channels on 2 loops, seed " + seed + ", " + rounds + " rounds");
        out.println("tracked writes: " + issued + " (each checked for exactly one completion)");
        out.println("completions exactly once: " + (missing == 0 && doubled == 0 ? "yes" : "NO")
                + " (missing " + missing + ", doubled " + doubled + ")");
        out.println("fire-and-forget writes: " + untrackedIssued.sum() + ", failed " + untrackedFailed);
        out.println("datagrams sent to the sink: " + sentToSink + ", received " + sinkReceived
                + ", kernel drops (SO_RXQ_OVFL) " + (sinkDrops < 0 ? "n/a" : sinkDrops));
        if (unixTx != null) {
            out.println("unix back-pressure: sent " + unixSent.sum() + ", received " + unixReceived.sum()
                    + ", writability flips " + unixFlips.sum());
        } else {
            out.println("unix back-pressure: skipped (the " + group.transportName() + " transport has no unix datagrams)");
        }
        out.println("channels closed with writes pending and reopened: " + reopened.sum());
        Map<String, Long> byKind = new TreeMap<>();
        failures.forEach((k, v) -> byKind.put(k, v.sum()));
        out.println("failed by kind: " + byKind);
        out.println("heap used after GC: before " + mib(before.heapUsed) + ", after " + mib(after.heapUsed)
                + " (growth " + mib(heapGrowth) + ", bound " + mib(HEAP_BOUND) + ")");
        out.println("native memory in use (malloc, incl. FFM arenas): " + (before.mallocInUse < 0 ? "n/a"
                : "after warm-up " + mib(before.mallocInUse) + ", half-way " + mib(middle.mallocInUse) + ", end "
                        + mib(after.mallocInUse) + " (second-half growth " + mib(mallocGrowth) + ", bound "
                        + mib(MALLOC_BOUND) + ")"));
        out.println("resident memory (VmRSS, not judged): after warm-up " + mib(before.rss) + ", half-way "
                + mib(middle.rss) + ", end " + mib(after.rss));
        out.println("native memory (NMT Other: malloc + FFM arenas): " + (before.nmtOther < 0
                ? "n/a (run with SALVO_JAVA_OPTS=-XX:NativeMemoryTracking=summary)"
                : "before " + mib(before.nmtOther) + ", end " + mib(after.nmtOther) + " (growth " + mib(nmtGrowth)
                        + ", bound " + mib(NMT_OTHER_BOUND) + ")"));
        out.println("result: " + (problems.isEmpty() ? "PASS" : "FAIL " + problems));
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    // ---- set-up and tear-down ----

    private void setUp() throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        sink = DatagramChannel.builder(group).loop(0)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.MAX_DATAGRAM_SIZE, 9_000)
                .bind(any);
        sinkAddress = sink.localAddress();
        DatagramChannel gone = DatagramChannel.builder(group).bind(any);
        deadPort = gone.localAddress();
        gone.close().join();
        refused = DatagramChannel.builder(group).loop(1).handler(countingErrors()).connect(deadPort);
        senders = new DatagramChannel[channelCount];
        connected = new boolean[channelCount];
        for (int i = 0; i < channelCount; i++) {
            openSender(i);
        }
        if (group.transportName().equals("epoll")) {
            unixAddress = AbstractUnixAddress.of("salvo-soak-" + ProcessHandle.current().pid() + "-" + seed);
            unixRx = DatagramChannel.builder(group).loop(0)
                    .option(ChannelOption.READ_BATCH_SIZE, 4)
                    .handler((ch, d) -> {
                        unixReceived.increment();
                        if ((unixReceived.sum() & 7) == 0) {
                            LockSupport.parkNanos(100_000); // a slow consumer
                        }
                    })
                    .bind(unixAddress);
            unixProducer = new UnixProducer();
            unixTx = DatagramChannel.builder(group).loop(1)
                    .option(ChannelOption.SO_SNDBUF, 4096)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UNIX_MARKS)
                    .handler(new ChannelHandler() {
                        @Override
                        public void onDatagram(DatagramChannel ch, InboundDatagram d) {
                        }

                        @Override
                        public void onWritabilityChanged(DatagramChannel ch, boolean writable) {
                            unixFlips.increment();
                            if (writable) {
                                unixProducer.resume();
                            }
                        }
                    })
                    .open(StandardProtocolFamily.UNIX);
        }
    }

    private void openSender(int i) throws IOException {
        boolean connect = i % 3 == 2;
        DatagramChannel.Builder b = DatagramChannel.builder(group).loop(i).handler(countingErrors());
        senders[i] = connect ? b.connect(sinkAddress) : b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        connected[i] = connect;
    }

    private ChannelHandler countingErrors() {
        return new ChannelHandler() {
            @Override
            public void onDatagram(DatagramChannel ch, InboundDatagram d) {
            }

            @Override
            public void onError(DatagramChannel ch, Throwable error) {
                count("onError " + error.getClass().getSimpleName());
            }
        };
    }

    private void tearDownChannels() throws Exception {
        if (unixTx != null) {
            waitFor(() -> unixReceived.sum() == unixSent.sum(), 10_000);
        }
        List<DatagramChannel> all = new ArrayList<>(List.of(senders));
        all.add(refused);
        if (unixTx != null) {
            all.add(unixTx);
            all.add(unixRx);
        }
        for (DatagramChannel ch : all) {
            ch.close().get(10, TimeUnit.SECONDS);
            untrackedFailed += ch.failedUntrackedWrites();
        }
    }

    // ---- one round of traffic ----

    private void round(SplittableRandom r) throws IOException {
        int pick = r.nextInt(100);
        int i = r.nextInt(channelCount);
        DatagramChannel ch = senders[i];
        SocketAddress to = connected[i] ? null : sinkAddress;
        if (pick < 70) {
            int k = 1 + r.nextInt(64);
            for (int n = 0; n < k; n++) {
                ByteBuffer p = ByteBuffer.allocate(size(r));
                if (r.nextBoolean()) {
                    ch.write(p, to, track(Category.SINK));
                } else {
                    untrackedIssued.increment();
                    ch.write(p, to);
                }
            }
            ch.flush();
        } else if (pick < 78) {
            ch.write(ByteBuffer.allocate(OVERSIZE), to, track(Category.OTHER));
            ch.flush();
        } else if (pick < 86) {
            refused.write(ByteBuffer.allocate(32), null, track(Category.OTHER));
            refused.flush();
        } else if (pick < 89) {
            // Close with writes still queued (not flushed): they must fail, once each; then reopen.
            for (int n = 0; n < 1 + r.nextInt(8); n++) {
                ch.write(ByteBuffer.allocate(100), to, track(Category.SINK_OR_CLOSED));
            }
            ch.close().join();
            untrackedFailed += ch.failedUntrackedWrites();
            openSender(i);
            reopened.increment();
        } else if (unixTx != null) {
            unixTx.eventLoop().execute(unixProducer);
        }
    }

    private static int size(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(65);             // tiny, including empty
            case 1, 2 -> 100 + r.nextInt(1_300); // typical
            default -> 1_400 + r.nextInt(7_000);  // large, fragmented on a real link
        };
    }

    private enum Category { SINK, SINK_OR_CLOSED, OTHER }

    private WriteCompletion track(Category category) {
        int id = nextId.getAndIncrement();
        return failure -> {
            if (id < TRACK_CAPACITY) {
                completions.incrementAndGet(id);
            }
            completed.incrementAndGet();
            if (failure == null) {
                if (category != Category.OTHER) {
                    trackedSentToSink.increment();
                }
                count("sent");
            } else {
                count(failure.getClass().getSimpleName());
            }
        };
    }

    private void count(String kind) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /**
     * Writes to the slow unix receiver while the channel is writable; runs on the unix sender's
     * loop. Each scheduled run grants 64 datagrams; what unwritability holds back is written when
     * the channel turns writable again, and nothing more, so the run can end.
     */
    private final class UnixProducer implements Runnable {
        private boolean running;
        private int credits;

        @Override
        public void run() {
            credits += 64;
            resume();
        }

        void resume() {
            if (running || !unixTx.isOpen()) {
                return;
            }
            running = true;
            try {
                while (credits > 0 && unixTx.isWritable()) {
                    credits--;
                    unixSent.increment();
                    unixTx.write(ByteBuffer.allocate(512), unixAddress, failure -> {
                        if (failure != null) {
                            unixSent.decrement(); // not sent after all (closed at the end of the run)
                            count("unix " + failure.getClass().getSimpleName());
                        }
                    });
                    unixTx.flush();
                }
            } finally {
                running = false;
            }
        }
    }

    // ---- memory ----

    private record Memory(long heapUsed, long rss, long mallocInUse, long nmtOther) {
        static Memory measure() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Memory(heap, residentBytes(), mallocBytes(), nmtOtherCommitted());
        }

        /** @return bytes malloc has handed out and not got back (glibc mallinfo2), or -1 when unavailable */
        private static long mallocBytes() {
            if (MALLINFO2 == null) {
                return -1;
            }
            try (Arena arena = Arena.ofConfined()) {
                java.lang.foreign.MemorySegment info = (MemorySegment) MALLINFO2.invokeExact(
                        (SegmentAllocator) arena);
                // struct mallinfo2 { arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, ... }
                long mmapped = info.get(ValueLayout.JAVA_LONG, 4 * 8);
                long small = info.get(ValueLayout.JAVA_LONG, 7 * 8);
                return mmapped + small;
            } catch (Throwable t) {
                return -1;
            }
        }

        /** @return NMT's committed bytes for "Other" (where malloc'd FFM arenas land), or -1 when NMT is off */
        private static long nmtOtherCommitted() {
            try {
                Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "vmNativeMemory", new Object[] {new String[] {"summary"}},
                        new String[] {String[].class.getName()});
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(String.valueOf(text));
                return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
            } catch (Exception e) {
                return -1;
            }
        }

        private static long residentBytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // Not Linux: report -1.
            }
            return -1;
        }
    }

    /** glibc's {@code struct mallinfo2 mallinfo2(void)}, or {@code null} off glibc or without native access. */
    private static final MethodHandle MALLINFO2 = linkMallinfo2();

    private static MethodHandle linkMallinfo2() {
        try {
            Linker linker = Linker.nativeLinker();
            MemoryLayout mallinfo2 = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG));
            return linker.defaultLookup().find("mallinfo2")
                    .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(mallinfo2)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null; // not glibc, or no native access: the line says n/a
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
