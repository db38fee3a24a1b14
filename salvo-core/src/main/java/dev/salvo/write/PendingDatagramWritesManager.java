package dev.salvo.write;

import dev.salvo.AddressMismatchException;
import dev.salvo.ChannelClosedException;
import dev.salvo.ConnectedWhilePendingException;
import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.HostUnreachableException;
import dev.salvo.NativeIOException;
import dev.salvo.NotConnectedException;
import dev.salvo.WriteCompletion;
import dev.salvo.transport.linux.Errno;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The write queue of one datagram channel and the loop that drains it through a
 * {@link DatagramWriter}: SwiftNIO's {@code PendingDatagramWritesManager}, rebuilt and extended.
 *
 * <p><b>Threading.</b> Everything except {@link #isWritable()} must be called on the channel's
 * event loop. {@link #isWritable()} reads an atomic flag and is safe from any thread.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Only flushed writes are sent; a write queued after the last {@link #flush()} waits.</li>
 *   <li>{@link #pendingBytes()} and {@link #pendingDatagrams()} are exact after every call.</li>
 *   <li>Every accepted or refused write completes exactly once, and completions fire in queue
 *       order, even when a completion calls back into this manager (write, flush, close): every
 *       completion and writability event goes through one FIFO that only the outermost call
 *       drains; nested calls just add to it.</li>
 *   <li>One {@link #write} call makes at most {@code writeSpinCount + 1} writer calls; a
 *       {@code write} nested inside another returns {@link WriteResult#ALREADY_WRITING} without
 *       calling the writer.</li>
 *   <li>A vector call carries at most 1024 messages and at most {@link Integer#MAX_VALUE} bytes.</li>
 *   <li>The writability flag flips once per water-mark crossing (above high: unwritable; below
 *       low, or empty: writable) and the listener hears each flip exactly once.</li>
 *   <li>Steady state allocates nothing per datagram: slots are reused, results are singletons,
 *       and a write without completion (or with a shared {@link WriteCompletion}) costs no
 *       garbage. Only failures allocate (their exceptions).</li>
 * </ul>
 *
 * <p><b>Errors.</b> {@code EAGAIN} keeps everything. {@code EINTR} retries (it counts as a call).
 * {@code EMSGSIZE}, {@code EHOSTUNREACH}, {@code ENETUNREACH} and (connected only)
 * {@code ECONNREFUSED} fail only the datagram concerned; after such an error from a vector call
 * the head is retried alone to learn which datagram it was. Any other errno fails every queued
 * write with a {@link ChannelClosedException} and closes the manager ({@link WriteResult.Fatal}).
 *
 * <p>The writer must not call back into the manager; completions and listeners may.
 */
public final class PendingDatagramWritesManager {
    /** {@code UIO_MAXIOV}: the kernel's limit on messages per {@code sendmmsg}. */
    public static final int MAX_VECTOR_MESSAGES = 1024;
    /** The most bytes one vector call may carry, all messages together. */
    public static final long MAX_VECTOR_BYTES = Integer.MAX_VALUE;
    /** Default low water mark: 32 KiB. */
    public static final int DEFAULT_LOW_WATER_MARK = 32 * 1024;
    /** Default high water mark: 64 KiB. */
    public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024;
    /** Default write spin count: up to 17 writer calls per {@link #write}. */
    public static final int DEFAULT_WRITE_SPIN_COUNT = 16;

    /** Writability events travel through the completion FIFO as these markers. */
    private enum WritabilityEvent { WRITABLE, UNWRITABLE }

    private static final System.Logger LOG = System.getLogger(PendingDatagramWritesManager.class.getName());

    private final WritabilityListener listener;
    private final int maxVectorMessages;
    private final long maxVectorBytes;
    private final PendingDatagramWrites queue = new PendingDatagramWrites(16);
    private final CompletionQueue completions = new CompletionQueue(16);

    private int lowWaterMark = DEFAULT_LOW_WATER_MARK;
    private int highWaterMark = DEFAULT_HIGH_WATER_MARK;
    private int writeSpinCount = DEFAULT_WRITE_SPIN_COUNT;
    private SocketAddress connectedPeer;
    private boolean open = true;
    /** Written only on the loop; volatile so that other threads read a current value. */
    private volatile boolean writable = true;
    private boolean writing;
    private boolean draining;
    private Consumer<Throwable> completionErrorHandler = PendingDatagramWritesManager::logCompletionError;

    /**
     * @param listener told of every writability flip, on the loop thread
     */
    public PendingDatagramWritesManager(WritabilityListener listener) {
        this(listener, MAX_VECTOR_MESSAGES, MAX_VECTOR_BYTES);
    }

    /** For tests: smaller vector limits make the limit logic reachable without gigabytes. */
    PendingDatagramWritesManager(WritabilityListener listener, int maxVectorMessages, long maxVectorBytes) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxVectorMessages < 1 || maxVectorMessages > MAX_VECTOR_MESSAGES
                || maxVectorBytes < 0 || maxVectorBytes > MAX_VECTOR_BYTES) {
            throw new IllegalArgumentException("vector limits out of range");
        }
        this.maxVectorMessages = maxVectorMessages;
        this.maxVectorBytes = maxVectorBytes;
    }

    // ---- configuration ----

    /**
     * Sets the water marks and re-evaluates writability against them at once.
     *
     * @param low writable again when the pending bytes drop below this (default 32 KiB)
     * @param high unwritable when the pending bytes rise above this (default 64 KiB)
     * @throws IllegalArgumentException if {@code low < 0} or {@code high < low}
     */
    public void setWaterMarks(int low, int high) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("water marks must satisfy 0 <= low <= high, got low=" + low + " high=" + high);
        }
        lowWaterMark = low;
        highWaterMark = high;
        checkAboveHigh();
        checkBelowLow();
        drain();
    }

    /** @return the low water mark in bytes */
    public int lowWaterMark() {
        return lowWaterMark;
    }

    /** @return the high water mark in bytes */
    public int highWaterMark() {
        return highWaterMark;
    }

    /**
     * @param spins how many extra writer calls one {@link #write} may make after the first
     *     (default 16: at most 17 calls)
     * @throws IllegalArgumentException if negative
     */
    public void setWriteSpinCount(int spins) {
        if (spins < 0) {
            throw new IllegalArgumentException("write spin count must be >= 0, got " + spins);
        }
        writeSpinCount = spins;
    }

    /** @return the write spin count */
    public int writeSpinCount() {
        return writeSpinCount;
    }

    /**
     * Records that the channel was connected ({@code peer != null}) or disconnected
     * ({@code null}).
     *
     * <p>Connecting fails every queued write first, in order, with a
     * {@link ConnectedWhilePendingException}: they were addressed for the old state. Disconnecting
     * keeps them; a write without destination that is (or becomes) the head of the flushed queue
     * while the channel is not connected fails alone with a {@link NotConnectedException}, in
     * queue order and without a system call.
     *
     * @param peer the connected peer, or {@code null} when disconnected
     */
    public void setConnectedPeer(SocketAddress peer) {
        if (peer != null) {
            while (!queue.isEmpty()) {
                queue.failHead(new ConnectedWhilePendingException(destinationOf(queue.head())), completions);
            }
            checkBelowLow();
        }
        connectedPeer = peer;
        failUnaddressedHeads();
        drain();
    }

    /** @return the connected peer, or {@code null} */
    public SocketAddress connectedPeer() {
        return connectedPeer;
    }

    /**
     * Where a completion that throws is reported (default: logged as a warning). The manager
     * carries on with the next completion either way.
     *
     * @param handler receives what a completion or the writability listener threw
     */
    public void setCompletionErrorHandler(Consumer<Throwable> handler) {
        completionErrorHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Where the failures of writes queued without a completion are reported, in queue order like
     * every completion. Their successes are not reported at all, which keeps fire-and-forget
     * writes free of per-datagram completion work. Default: none (such failures are dropped).
     *
     * @param completion told of each failure of a write without completion, or {@code null}
     */
    public void setUntrackedFailureCompletion(WriteCompletion completion) {
        completions.setUntrackedFailureTarget(completion);
    }

    // ---- queueing ----

    /**
     * Queues one datagram, not yet flushed. A write the manager refuses completes at once and is
     * not queued: after close ({@link ChannelClosedException} "write after close"), without
     * destination on an unconnected channel ({@link NotConnectedException}), or to another address
     * than the connected peer ({@link AddressMismatchException}).
     *
     * @param payload a {@link java.nio.ByteBuffer} or {@link java.lang.foreign.MemorySegment};
     *     its bytes must stay untouched until the write completes
     * @param offset where the datagram starts in the payload
     * @param length the datagram's length (0 is legal)
     * @param destination the destination, or {@code null} for the connected peer
     * @param ecn the ECN codepoint 0–3, or {@link PendingWrite#NO_ECN}
     * @param segmentSize the GSO segment size, or 0
     * @param source the source address to send from, or {@code null}
     * @param completion a {@code CompletableFuture<Void>}, a {@link WriteCompletion}, or {@code null}
     * @return {@link #isWritable()} afterwards
     * @throws IllegalArgumentException on a negative offset, length or segment size, an ECN value
     *     outside -1..3 or a completion of another type
     */
    public boolean add(Object payload, long offset, int length, SocketAddress destination, int ecn,
                       int segmentSize, InetAddress source, Object completion) {
        if (offset < 0 || length < 0 || segmentSize < 0 || ecn < PendingWrite.NO_ECN || ecn > 3) {
            throw new IllegalArgumentException("bad datagram: offset=" + offset + " length=" + length
                    + " ecn=" + ecn + " segmentSize=" + segmentSize);
        }
        if (completion != null && !(completion instanceof CompletableFuture<?>) && !(completion instanceof WriteCompletion)) {
            throw new IllegalArgumentException("completion must be a CompletableFuture or a WriteCompletion: " + completion.getClass());
        }
        if (!open) {
            refuse(completion, () -> new ChannelClosedException("write after close"));
        } else if (destination == null) {
            if (connectedPeer == null) {
                refuse(completion, () -> new NotConnectedException(null, 0));
            } else {
                enqueue(payload, offset, length, null, ecn, segmentSize, source, completion);
            }
        } else if (connectedPeer != null && !destination.equals(connectedPeer)) {
            refuse(completion, () -> new AddressMismatchException(destination, 0));
        } else {
            enqueue(payload, offset, length, destination, ecn, segmentSize, source, completion);
        }
        drain();
        return writable;
    }

    private void enqueue(Object payload, long offset, int length, SocketAddress destination, int ecn,
                         int segmentSize, InetAddress source, Object completion) {
        queue.append(payload, offset, length, destination, ecn, segmentSize, source, completion);
        checkAboveHigh();
    }

    /** Refusals are rare; the supplier keeps an exception from being built when nobody listens. */
    private void refuse(Object completion, java.util.function.Supplier<Throwable> failure) {
        if (completion != null || completions.tracksUntrackedFailures()) {
            completions.offer(completion, failure.get());
        }
    }

    /**
     * Flush mark: every write queued so far becomes flushable. (On a disconnected channel a
     * write without destination at the head fails here, see {@link #setConnectedPeer}.)
     */
    public void flush() {
        queue.markFlushed();
        failUnaddressedHeads();
        drain();
    }

    // ---- writing ----

    /**
     * Sends flushed writes until none is left, the kernel pushes back, or the spin count is used
     * up. Completions of sent or failed datagrams fire (in queue order) between writer calls, and
     * the queue is re-checked after them, so writes they flush are picked up by this same call.
     *
     * @param writer the system calls; must not call back into this manager
     * @return what happened and what the channel should do next
     */
    public WriteResult write(DatagramWriter writer) {
        if (writing) {
            return WriteResult.ALREADY_WRITING;
        }
        writing = true;
        try {
            int calls = 0;
            while (true) {
                drain();
                if (!open || queue.flushed() == 0) {
                    return WriteResult.ALL_WRITTEN;
                }
                if (calls > writeSpinCount) {
                    return WriteResult.SPIN_EXHAUSTED;
                }
                calls++;
                WriteResult stop = writeOnce(writer);
                if (stop != null) {
                    drain();
                    return stop;
                }
            }
        } finally {
            writing = false;
        }
    }

    /** One writer call and its transition; {@code null} means "go on". */
    private WriteResult writeOnce(DatagramWriter writer) {
        if (queue.mechanism() == WriteMechanism.VECTOR) {
            int count = queue.vectorCount(maxVectorMessages, maxVectorBytes, connectedPeer == null);
            if (count > 0) {
                int result;
                try {
                    result = writer.writeVector(queue, count);
                } catch (RuntimeException unbuildable) {
                    // The writer could not even build one of them (released payload, unencodable
                    // address): send the head alone until the culprit is the head and fails alone.
                    queue.isolateHead();
                    return null;
                }
                if (result >= 0) {
                    if (result > count) {
                        throw new IllegalStateException("writer claims " + result + " of " + count + " datagrams");
                    }
                    queue.didWrite(result, completions);
                    afterRemoval();
                    return null;
                }
                int errno = -result;
                if (errno == Errno.EAGAIN) {
                    return WriteResult.WOULD_BLOCK;
                }
                if (errno == Errno.EINTR) {
                    return null;
                }
                if (isRecoverable(errno) || isRefusedSegmentation(errno, queue.head())) {
                    // sendmmsg reports one errno for the call: send the head alone to learn whose it is.
                    queue.isolateHead();
                    return null;
                }
                return fatal("sendmmsg", errno);
            }
            // count == 0: the head alone is over the vector byte limit; send it alone so that
            // the kernel reports its own error for it.
        }
        PendingWrite head = queue.head();
        assert head.destination != null || connectedPeer != null : "unaddressed head while not connected";
        int result;
        try {
            result = writer.writeScalar(head);
        } catch (RuntimeException unbuildable) {
            // Only this datagram is bad; failing it keeps it from wedging everything queued behind it.
            queue.failHead(unbuildable, completions);
            afterRemoval();
            return null;
        }
        if (result >= 0) {
            // A datagram is atomic: any byte count means the whole datagram went out.
            queue.didWrite(1, completions);
            afterRemoval();
            return null;
        }
        int errno = -result;
        if (errno == Errno.EAGAIN) {
            return WriteResult.WOULD_BLOCK;
        }
        if (errno == Errno.EINTR) {
            return null;
        }
        Throwable failure = recoverableFailure(errno, head);
        if (failure != null) {
            queue.failHead(failure, completions);
            afterRemoval();
            return null;
        }
        return fatal("sendmsg", errno);
    }

    private boolean isRecoverable(int errno) {
        return errno == Errno.EMSGSIZE || errno == Errno.EHOSTUNREACH || errno == Errno.ENETUNREACH
                || errno == Errno.EACCES || (errno == Errno.ECONNREFUSED && connectedPeer != null);
    }

    /** EINVAL for a GSO datagram: the kernel refuses its segmentation (too many segments, segment over the MTU). */
    private static boolean isRefusedSegmentation(int errno, PendingWrite w) {
        return errno == Errno.EINVAL && w.segmentSize() > 0;
    }

    private Throwable recoverableFailure(int errno, PendingWrite w) {
        SocketAddress to = destinationOf(w);
        if (isRefusedSegmentation(errno, w)) {
            return new DatagramTooLargeException("GSO send refused: too many segments or a segment over the MTU",
                    to, errno);
        }
        if (errno == Errno.EMSGSIZE) {
            return new DatagramTooLargeException(to, errno);
        }
        if (errno == Errno.EHOSTUNREACH || errno == Errno.ENETUNREACH) {
            return new HostUnreachableException(to, errno);
        }
        if (errno == Errno.EACCES) { // a "prohibit" route, or broadcast without SO_BROADCAST: one destination's fault
            return new HostUnreachableException("destination prohibited", to, errno);
        }
        if (errno == Errno.ECONNREFUSED && connectedPeer != null) {
            return new ConnectionRefusedException(to, errno);
        }
        return null;
    }

    private WriteResult fatal(String operation, int errno) {
        NativeIOException cause = new NativeIOException(operation, errno);
        failAllQueued(new ChannelClosedException("channel closed: " + cause.getMessage(), cause), true);
        return new WriteResult.Fatal(cause);
    }

    private void afterRemoval() {
        checkBelowLow();
        failUnaddressedHeads();
    }

    /**
     * Keeps the invariant "while not connected, the head of the flushed queue has a destination".
     *
     * <p>After a disconnect, writes queued for the old peer have no destination; each fails alone
     * with a {@link NotConnectedException} as soon as it is both flushed and at the head, without
     * a system call (the kernel would answer {@code EDESTADDRREQ}, which is fatal). Checked after
     * every change that can create such a head (a head leaving, a flush, a disconnect), so
     * completion order stays queue order.
     */
    private void failUnaddressedHeads() {
        if (connectedPeer != null) {
            return;
        }
        boolean removed = false;
        while (queue.flushed() > 0 && queue.head().destination == null) {
            queue.failHead(new NotConnectedException(null, 0), completions);
            removed = true;
        }
        if (removed) {
            checkBelowLow();
        }
    }

    // ---- failing ----

    /**
     * Fails every queued write, flushed or not, in queue order.
     *
     * @param cause what each completion receives
     * @param close {@code true} to close the manager for good: later writes fail at once
     */
    public void failAll(Throwable cause, boolean close) {
        Objects.requireNonNull(cause, "cause");
        failAllQueued(cause, close);
        drain();
    }

    private void failAllQueued(Throwable cause, boolean close) {
        if (close) {
            open = false;
        }
        queue.failAll(cause, completions);
        checkBelowLow();
    }

    // ---- state ----

    /** @return whether the pending bytes allow more writes; safe from any thread */
    public boolean isWritable() {
        return writable;
    }

    /** @return the total length of the queued writes, flushed or not */
    public long pendingBytes() {
        return queue.bytes();
    }

    /** @return how many writes are queued, flushed or not */
    public int pendingDatagrams() {
        return queue.size();
    }

    /** @return whether flushed writes are waiting to be sent */
    public boolean isFlushPending() {
        return queue.flushed() > 0;
    }

    /** @return whether no write is queued */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** @return {@code false} once {@link #failAll(Throwable, boolean) failAll(…, true)} or a fatal error closed it */
    public boolean isOpen() {
        return open;
    }

    // ---- writability ----

    private void checkAboveHigh() {
        if (writable && queue.bytes() > highWaterMark) {
            writable = false;
            completions.offer(WritabilityEvent.UNWRITABLE, null);
        }
    }

    private void checkBelowLow() {
        // An empty queue is always writable, even with a low mark of 0 that nothing can drop below.
        if (!writable && (queue.bytes() < lowWaterMark || queue.isEmpty())) {
            writable = true;
            completions.offer(WritabilityEvent.WRITABLE, null);
        }
    }

    // ---- delivery ----

    /** Delivers due completions and events in order, unless a caller further up is already doing it. */
    private void drain() {
        if (draining || completions.size() == 0) {
            return; // the usual case after a fire-and-forget write: nothing is due
        }
        draining = true;
        try {
            while (completions.poll()) {
                Object target = completions.polledTarget();
                Throwable failure = completions.polledFailure();
                completions.releasePolled();
                deliver(target, failure);
            }
        } finally {
            draining = false;
        }
    }

    private void deliver(Object target, Throwable failure) {
        try {
            switch (target) {
                case WriteCompletion c -> c.onComplete(failure);
                case CompletableFuture<?> f -> {
                    if (failure == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(failure);
                    }
                }
                case WritabilityEvent e -> listener.writabilityChanged(e == WritabilityEvent.WRITABLE);
                default -> throw new IllegalStateException("unknown completion " + target.getClass());
            }
        } catch (Throwable t) {
            try {
                completionErrorHandler.accept(t);
            } catch (Throwable ignored) {
                // The error handler itself failed; nothing sensible is left to tell.
            }
        }
    }

    private SocketAddress destinationOf(PendingWrite w) {
        return w.destination != null ? w.destination : connectedPeer;
    }

    private static void logCompletionError(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "a write completion threw; the write queue carries on", t);
    }
}
