package dev.salvo.channel;

import dev.salvo.ChannelClosedException;
import dev.salvo.ChannelStats;
import dev.salvo.OffloadStats;
import dev.salvo.OutboundDatagram;
import dev.salvo.OutboundSegment;
import dev.salvo.WriteCompletion;
import dev.salvo.loop.DefaultEventLoop;
import dev.salvo.loop.LoopChannel;
import dev.salvo.transport.SocketOps;
import dev.salvo.write.PendingDatagramWritesManager;
import dev.salvo.write.PendingWrite;
import dev.salvo.write.WriteResult;
import dev.salvo.write.WriteStats;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one channel, confined to its event loop: the write queue and when to drain it
 * (at once, after the loop's other work when the spin count ran out, or on {@code EPOLLOUT}), the
 * read side, readiness, connect and close. Everything here runs on the loop thread except the
 * methods that say otherwise; {@link SalvoDatagramChannel} hands calls over to it.
 */
final class ChannelCore implements LoopChannel {
    private final DefaultEventLoop loop;
    private final SocketOps socket;
    private final PendingDatagramWritesManager writes;
    private final HandlerCalls handler;
    private final ReadLoop reads;
    private final SendChecks checks;
    private final WriteCompletion untracked;
    private final AtomicLong failedUntrackedWrites = new AtomicLong();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Runnable writeTask = this::writeTask;
    /** Filled by the socket after each write call, without allocating; loop-confined. */
    private final long[] offload = new long[SocketOps.OFFLOAD_COUNTERS];
    private long gsoFallbacksSeen;
    private long ecnFallbacksSeen;
    private long uncoalescedRetriesSeen;
    private final AtomicLong coalescedSends = new AtomicLong();
    private final AtomicLong coalescedDatagrams = new AtomicLong();

    /** The channel's GSO segment size ({@code GSO_SEGMENT_SIZE}), 0 for none; loop-confined. */
    private int defaultSegmentSize;
    private boolean writeInterest;
    private boolean writeTaskScheduled;
    private boolean registered;
    private volatile boolean open = true;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;

    ChannelCore(DefaultEventLoop loop, SocketOps socket, String transportName, HandlerCalls handler) {
        this.loop = loop;
        this.socket = socket;
        this.handler = handler;
        this.writes = new PendingDatagramWritesManager(this::writabilityChanged);
        this.writes.stats().setObserver(this::writeFailed);
        this.reads = new ReadLoop(socket, handler, this);
        this.checks = new SendChecks(socket, transportName);
        this.untracked = failure -> {
            if (failure != null) {
                failedUntrackedWrites.incrementAndGet();
                if (!(failure instanceof ChannelClosedException)) {
                    handler.error(failure);
                }
            }
        };
        // Writes without completion are queued as such (nothing to deliver when they succeed);
        // only their failures come back, to be counted and reported.
        writes.setUntrackedFailureCompletion(untracked);
    }

    // ---- state readable from any thread ----

    boolean isOpen() {
        return open;
    }

    SocketAddress cachedLocalAddress() {
        return localAddress;
    }

    SocketAddress remoteAddress() {
        return remoteAddress;
    }

    boolean isWritable() {
        return writes.isWritable();
    }

    long kernelDrops() {
        return socket.kernelDrops();
    }

    long datagramsRead() {
        return reads.datagramsRead();
    }

    long failedUntrackedWrites() {
        return failedUntrackedWrites.get();
    }

    /** @return the counters as last published by the loop; any thread, never waits */
    ChannelStats stats() {
        WriteStats w = writes.stats();
        // The drop count is asked of the socket (exact even after a burst with nothing behind it).
        return new ChannelStats(reads.datagramsRead(), reads.bytesRead(), socket.kernelDrops(),
                reads.truncatedDatagrams(), w.datagrams(), w.bytes(), w.failures(WriteStats.Kind.TOO_LARGE),
                w.failures(WriteStats.Kind.UNREACHABLE), w.failures(WriteStats.Kind.PROHIBITED),
                w.failures(WriteStats.Kind.REFUSED), w.failures(WriteStats.Kind.OFFLOAD_REFUSED),
                w.failures(WriteStats.Kind.OTHER), coalescedSends.get(), coalescedDatagrams.get());
    }

    private void writabilityChanged(boolean writable) {
        ChannelEvents.writabilityChanged(localAddress, writable);
        handler.writabilityChanged(writable);
    }

    private void writeFailed(WriteStats.Kind kind, Throwable failure, SocketAddress destination, int count) {
        ChannelEvents.writeFailed(localAddress, kind, failure, destination, count);
    }

    /**
     * Once per write call: publishes the socket's coalescing counters and tells JFR of offload
     * fallbacks since the last call. A few loads and compares, no allocation.
     */
    private void pollOffloads() {
        long[] c = offload;
        socket.offloadCounters(c);
        if (c[SocketOps.COALESCED_SENDS] != coalescedSends.getPlain()) {
            coalescedSends.lazySet(c[SocketOps.COALESCED_SENDS]);
            coalescedDatagrams.lazySet(c[SocketOps.COALESCED_DATAGRAMS]);
        }
        if (c[SocketOps.GSO_FALLBACKS] != gsoFallbacksSeen) {
            ChannelEvents.offloadFallback(localAddress, "GSO_OFF", c[SocketOps.GSO_FALLBACKS] - gsoFallbacksSeen);
            gsoFallbacksSeen = c[SocketOps.GSO_FALLBACKS];
        }
        if (c[SocketOps.ECN_FALLBACKS] != ecnFallbacksSeen) {
            ChannelEvents.offloadFallback(localAddress, "ECN_OFF", c[SocketOps.ECN_FALLBACKS] - ecnFallbacksSeen);
            ecnFallbacksSeen = c[SocketOps.ECN_FALLBACKS];
        }
        if (c[SocketOps.UNCOALESCED_RETRIES] != uncoalescedRetriesSeen) {
            ChannelEvents.offloadFallback(localAddress, "UNCOALESCED_RETRY",
                    c[SocketOps.UNCOALESCED_RETRIES] - uncoalescedRetriesSeen);
            uncoalescedRetriesSeen = c[SocketOps.UNCOALESCED_RETRIES];
        }
    }

    CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    // ---- opening (loop thread) ----

    /** Binds and/or connects the new socket and registers it with the loop's poller. */
    void open(SocketAddress local, SocketAddress remote) throws IOException {
        if (local != null) {
            socket.bind(local);
        }
        if (remote != null) {
            connectSocket(remote);
        }
        localAddress = socket.localAddress();
        loop.resources().poller().register(socket, this);
        registered = true;
        loop.addChannel(this);
        if (!reads.wantsReadInterest()) {
            setReadInterest(false); // opened with AUTO_READ off
        }
    }

    /** @return the socket's local address, asking the kernel (it binds an unbound socket on its first send) */
    SocketAddress localAddressNow() {
        if (localAddress == null && open) {
            localAddress = socket.localAddress();
        }
        return localAddress;
    }

    // ---- configuration (loop thread) ----

    void connect(SocketAddress remote) throws IOException {
        ensureOpen();
        checks.checkPeer(remote);
        connectSocket(remote);
        localAddress = socket.localAddress();
    }

    /** Connects the socket and tells the write queue (writes queued for the old state fail). */
    private void connectSocket(SocketAddress remote) throws IOException {
        socket.connect(remote);
        writes.setConnectedPeer(remote);
        SocketAddress peer = socket.remoteAddress();
        remoteAddress = peer != null ? peer : remote;
    }

    void disconnect() throws IOException {
        ensureOpen();
        socket.disconnect();
        writes.setConnectedPeer(null);
        remoteAddress = null;
    }

    <T> void setOption(dev.salvo.ChannelOption<T> option, T value) throws IOException {
        ensureOpen();
        OptionTable.set(this, option, value);
    }

    <T> T getOption(dev.salvo.ChannelOption<T> option) throws IOException {
        ensureOpen();
        return OptionTable.get(this, option);
    }

    void membership(boolean join, InetAddress group, NetworkInterface iface, InetAddress source) throws IOException {
        ensureOpen();
        if (join) {
            socket.joinGroup(group, iface, source);
        } else {
            socket.leaveGroup(group, iface, source);
        }
    }

    OffloadStats offloadStats() throws ChannelClosedException {
        ensureOpen();
        return socket.offloadStats();
    }

    SocketOps socket() {
        return socket;
    }

    PendingDatagramWritesManager writes() {
        return writes;
    }

    ReadLoop reads() {
        return reads;
    }

    // ---- writes (loop thread) ----

    // Each write takes the length its caller reserved on another thread (see
    // PendingDatagramWritesManager#reserve), or NOT_RESERVED when it is made on the loop.

    void write(ByteBuffer payload, SocketAddress destination, WriteCompletion completion, int reserved) {
        int length = payload.remaining();
        int segment = segmentSize(0, length);
        if (admits(destination, length, PendingWrite.NO_ECN, segment, null, 0, completion, reserved)) {
            writes.claim().buffer(payload, payload.position(), length)
                    .destination(destination).segmentSize(segment).completion(completion);
            commit(reserved);
        }
    }

    void write(MemorySegment payload, SocketAddress destination, WriteCompletion completion, int reserved) {
        int length = (int) payload.byteSize();
        int segment = segmentSize(0, length);
        if (admits(destination, length, PendingWrite.NO_ECN, segment, null, 0, completion, reserved)) {
            writes.claim().segment(payload, 0, length).destination(destination).segmentSize(segment)
                    .completion(completion);
            commit(reserved);
        }
    }

    void write(OutboundDatagram d, WriteCompletion completion, int reserved) {
        ByteBuffer p = d.payload();
        int length = p.remaining();
        int ecn = d.ecn() == null ? PendingWrite.NO_ECN : d.ecn().bits();
        int segment = segmentSize(d.segmentSize(), length);
        if (admits(d.destination(), length, ecn, segment, d.source(), d.interfaceIndex(), completion, reserved)) {
            writes.claim().buffer(p, p.position(), length).destination(d.destination()).ecn(ecn)
                    .segmentSize(segment).source(d.source()).interfaceIndex(d.interfaceIndex())
                    .completion(completion);
            commit(reserved);
        }
    }

    void write(OutboundSegment d, WriteCompletion completion, int reserved) {
        int length = (int) d.payload().byteSize();
        int ecn = d.ecn() == null ? PendingWrite.NO_ECN : d.ecn().bits();
        int segment = segmentSize(d.segmentSize(), length);
        if (admits(d.destination(), length, ecn, segment, d.source(), d.interfaceIndex(), completion, reserved)) {
            writes.claim().segment(d.payload(), 0, length).destination(d.destination()).ecn(ecn)
                    .segmentSize(segment).source(d.source()).interfaceIndex(d.interfaceIndex())
                    .completion(completion);
            commit(reserved);
        }
    }

    /** What a write passes as its reservation when it was made on the loop (counted by the commit). */
    static final int NOT_RESERVED = -1;

    private void commit(int reserved) {
        if (reserved == NOT_RESERVED) {
            writes.commit();
        } else {
            writes.commitReserved(reserved);
        }
    }

    /**
     * The segment size a datagram goes out with: its own, else the channel's for a datagram longer
     * than one segment (a shorter one goes out whole, as the kernel would send it).
     */
    private int segmentSize(int own, int length) {
        if (own > 0) {
            return own;
        }
        int channel = defaultSegmentSize;
        return channel > 0 && length > channel ? channel : 0;
    }

    /** {@code GSO_SEGMENT_SIZE}: 0 turns it off; refused where the socket cannot segment. */
    void setDefaultSegmentSize(int size) {
        if (size > 0 && !socket.supportsSegmentation()) {
            throw new UnsupportedOperationException(
                    "GSO_SEGMENT_SIZE is not supported on this socket (java.nio, or a unix-domain socket)");
        }
        defaultSegmentSize = size;
    }

    int defaultSegmentSize() {
        return defaultSegmentSize;
    }

    /** @return whether the datagram may be queued; if not, it has failed (alone) already */
    private boolean admits(SocketAddress destination, int length, int ecn, int segmentSize, InetAddress source,
                           int interfaceIndex, WriteCompletion completion, int reserved) {
        Throwable refused = open ? checks.refuse(destination, length, ecn, segmentSize, source, interfaceIndex)
                : new ChannelClosedException("write after close");
        if (refused == null) {
            return true;
        }
        writes.stats().failed(refused, destination);
        Completions.fail(completion == null ? untracked : completion, refused);
        if (reserved != NOT_RESERVED) {
            writes.cancelReserved(reserved);
        }
        return false;
    }

    /**
     * Counts a write made on another thread against the water marks and the bound, at the moment
     * it is made; any thread. When the bound refuses it, it fails here at once, on the calling
     * thread, with a {@link dev.salvo.PendingWritesFullException} (a write without completion is
     * counted in {@link #failedUntrackedWrites()}), so a producer that ignores writability cannot
     * grow memory, not even with tasks.
     *
     * @return whether the write was counted and should be handed to the loop
     */
    boolean reserve(int length, SocketAddress destination, WriteCompletion completion) {
        if (writes.reserve(length)) {
            return true;
        }
        refuseFull(length, destination, completion);
        return false;
    }

    private void refuseFull(int length, SocketAddress destination, WriteCompletion completion) {
        writes.stats().rejectedFull();
        if (completion != null) {
            Completions.fail(completion, writes.full(destination, length));
        } else {
            failedUntrackedWrites.incrementAndGet();
        }
    }

    /** @return pending bytes: queued on the loop or counted on their way to it; any thread, exact */
    long pendingBytes() {
        return writes.pendingBytes();
    }

    /** @return pending datagrams, like {@link #pendingBytes()}; any thread, exact */
    int pendingDatagrams() {
        return writes.pendingDatagrams();
    }

    /**
     * Fails a write that could not even reach the loop (the group shut down, which closed the
     * channel and failed its queue already). Any thread; nothing to do for a write without completion.
     */
    void failUnsubmitted(WriteCompletion completion, Throwable failure, int reserved) {
        if (reserved != NOT_RESERVED) {
            writes.releaseUnsubmitted(reserved);
        }
        if (completion != null) {
            Completions.fail(completion, failure);
        }
    }

    void flush() {
        if (!open) {
            return;
        }
        writes.flush();
        if (!writeInterest && !writeTaskScheduled) {
            doWrite();
        }
    }

    private void writeTask() {
        writeTaskScheduled = false;
        if (open && !writeInterest) {
            doWrite();
        }
    }

    private void doWrite() {
        WriteResult result = writes.write(socket.writer());
        pollOffloads();
        if (!open) {
            return; // a completion closed the channel
        }
        switch (result) {
            case WriteResult.AllWritten done -> setWriteInterest(false);
            case WriteResult.WouldBlock wait -> setWriteInterest(true);
            case WriteResult.SpinExhausted spun -> {
                // Give the other channels of this loop a turn, then go on.
                writeTaskScheduled = true;
                loop.execute(writeTask);
            }
            case WriteResult.AlreadyWriting nested -> { }
            case WriteResult.Fatal fatal -> closeOnLoop(fatal.cause());
        }
    }

    private void setWriteInterest(boolean want) {
        if (want == writeInterest) {
            return;
        }
        writeInterest = want;
        try {
            loop.resources().poller().setWriteInterest(socket, want);
        } catch (IOException e) {
            closeOnLoop(e);
        }
    }

    /** Pauses or resumes reading (the wish recorded at once, the poller adjusted now); loop thread. */
    void setAutoRead(boolean on) {
        reads.setAutoRead(on);
        reads.applyAutoRead();
    }

    /** Starts or stops watching for readability (read pause); loop thread. */
    void setReadInterest(boolean want) {
        if (!registered) {
            return;
        }
        try {
            loop.resources().poller().setReadInterest(socket, want);
        } catch (IOException e) {
            closeOnLoop(e);
        }
    }

    /**
     * A read stopped: at its budget with datagrams left, or on an empty socket. The poller hears
     * whether the socket is busy ({@link dev.salvo.transport.Poller#setBusy}); when it stops
     * watching a busy one, the loop reads it again at its next turn. Loop thread.
     *
     * @param busy whether the socket counts as busy ({@link BusyStreak}: several reads in a row
     *     stopped at the budget); {@code false} after a read that found it empty
     */
    void readStopped(boolean busy) {
        if (!registered) {
            return;
        }
        try {
            if (loop.resources().poller().setBusy(socket, busy)) {
                loop.readAgain(this);
            }
        } catch (IOException e) {
            closeOnLoop(e);
        }
    }

    // ---- readiness and close (loop thread) ----

    @Override
    public void onReady(boolean readable, boolean writable, boolean error) {
        if (error && open) {
            reads.socketError();
        }
        if (readable && open) {
            reads.onReadable();
        }
        if (writable && open && writeInterest) {
            setWriteInterest(false);
            doWrite();
        }
    }

    @Override
    public void closeForShutdown() {
        closeOnLoop(null);
    }

    /**
     * Closes the channel: pending writes fail in queue order, the socket is released.
     *
     * @param cause the error that closes it (reported to the handler first), or {@code null} for a plain close
     */
    void closeOnLoop(Throwable cause) {
        if (!open) {
            return;
        }
        open = false;
        if (cause != null) {
            handler.error(cause);
        }
        ChannelClosedException closed = cause == null ? new ChannelClosedException()
                : new ChannelClosedException("channel closed by an error", cause);
        writes.failAll(closed, true);
        if (registered) {
            loop.resources().poller().deregister(socket);
            registered = false;
        }
        socket.close();
        loop.removeChannel(this);
        closeFuture.complete(null);
    }

    private void ensureOpen() throws ChannelClosedException {
        if (!open) {
            throw new ChannelClosedException();
        }
    }
}
