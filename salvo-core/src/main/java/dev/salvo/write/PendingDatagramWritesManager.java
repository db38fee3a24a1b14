// Over 600 lines on purpose: this is the seed's manager, and its transitions (queueing, flush
// marks, the write loop, per-datagram failure, writability, ordered delivery) share one set of
// invariants that read best in one place; about half of the file is that contract in Javadoc.
// (It also counts failures by kind for ChannelStats, in WriteStats; the cross-thread counts
// themselves live in PendingAccount.)
// The pure queue, the completion FIFO and the error mapping already live in their own classes.
package dev.salvo.write;

import dev.salvo.AddressMismatchException;
import dev.salvo.ChannelClosedException;
import dev.salvo.ConnectedWhilePendingException;
import dev.salvo.NativeIOException;
import dev.salvo.NotConnectedException;
import dev.salvo.PendingWritesFullException;
import dev.salvo.WriteCompletion;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The write queue of one datagram channel and the loop that drains it through a
 * {@link DatagramWriter}: SwiftNIO's {@code PendingDatagramWritesManager}, rebuilt and extended.
 *
 * <p><b>Threading.</b> Everything must be called on the channel's event loop except
 * {@link #reserve}, {@link #releaseUnsubmitted}, {@link #isWritable()}, {@link #pendingBytes()},
 * {@link #pendingDatagrams()} and {@link #maxPendingBytes()}, which are safe from any thread. A
 * write made on another thread is counted at once with {@link #reserve} (against the water marks
 * and the bound) and queued later on the loop with {@link #commitReserved}; the counts and the
 * writability flag live in one atomic word ({@link PendingAccount}), so they are exact for every
 * thread at every moment. Writability flips are reported on the loop, each once and in the order
 * they happened; a flip caused by another thread's write is reported at the loop's next call.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Only flushed writes are sent; a write queued after the last {@link #flush()} waits.</li>
 *   <li>{@link #pendingBytes()} and {@link #pendingDatagrams()} are exact after every call, on
 *       every thread: they count queued writes and reserved writes still on their way.</li>
 *   <li>The pending bytes never exceed {@link #maxPendingBytes()}: a write that would take them
 *       past it is refused with a {@link PendingWritesFullException}.</li>
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
 * <p><b>Errors</b>, as the writer classified them ({@link SendError}). {@code WOULD_BLOCK} keeps
 * everything (a software GSO split that filled the socket part-way keeps its progress in the head
 * slot, and the next call resumes there). {@code INTERRUPTED} retries (it counts as a call).
 * {@code TOO_LARGE}, {@code OFFLOAD_REFUSED}, {@code UNREACHABLE}, {@code PROHIBITED} and
 * (connected only) {@code REFUSED} fail only the datagram concerned; after such an error from a
 * vector call the head is retried alone to learn which datagram it was. Anything else fails every
 * queued write with a {@link ChannelClosedException} and closes the manager
 * ({@link WriteResult.Fatal}). {@link SendFailures} is the one place that turns these into exceptions.
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

    private static final System.Logger LOG = System.getLogger(PendingDatagramWritesManager.class.getName());

    private final WritabilityListener listener;
    private final int maxVectorMessages;
    private final long maxVectorBytes;
    private final PendingDatagramWrites queue = new PendingDatagramWrites(16);
    private final CompletionQueue completions = new CompletionQueue(16);
    /** Reset before, and read after, every writer call. */
    private final SendOutcome outcome = new SendOutcome();
    private final WriteStats stats = new WriteStats();
    /** Pending bytes and datagrams and the writability flag, for every thread. */
    private final PendingAccount account = new PendingAccount();
    /** The flip counter as last reported to the listener; loop-confined. */
    private int reportedFlips;
    /** As set; the account holds it capped at what it can count. */
    private volatile long maxPendingBytes = Long.MAX_VALUE;
    /** The slot handed out by {@link #claim()} and not yet committed, or {@code null}. */
    private PendingWrite claimed;

    private int writeSpinCount = DEFAULT_WRITE_SPIN_COUNT;
    private SocketAddress connectedPeer;
    private boolean open = true;
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
        reconcile();
        account.setMarks(low, high);
        reconcile();
        drain();
    }

    /** @return the low water mark in bytes */
    public int lowWaterMark() {
        return account.lowWaterMark();
    }

    /** @return the high water mark in bytes */
    public int highWaterMark() {
        return account.highWaterMark();
    }

    /**
     * Sets the hard bound on pending bytes: a write that would take them past it is refused at
     * once with a {@link PendingWritesFullException}. Writes already pending stay.
     *
     * @param bound the most bytes that may be pending (default {@link Long#MAX_VALUE}: no bound
     *     beyond the {@value PendingAccount#MAX_BYTES} bytes and {@value PendingAccount#MAX_DATAGRAMS}
     *     datagrams the counter can hold)
     * @throws IllegalArgumentException if not positive
     */
    public void setMaxPendingBytes(long bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("the pending-bytes bound must be >= 1, got " + bound);
        }
        maxPendingBytes = bound;
        account.setBound(bound);
    }

    /** @return the hard bound on pending bytes; any thread */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /**
     * Counts a write made on another thread at the moment it is made, before it is handed to the
     * loop: from now on it weighs on {@link #isWritable()}, {@link #pendingBytes()} and the bound.
     * Any thread. Every successful reservation must be followed by exactly one
     * {@link #commitReserved}, {@link #cancelReserved} or {@link #releaseUnsubmitted}.
     *
     * @param length the payload length
     * @return {@code false} when the write would pass {@link #maxPendingBytes()}: nothing was counted,
     *     and the caller fails the write (see {@link #full})
     */
    public boolean reserve(int length) {
        return account.tryAdd(length) != PendingAccount.REFUSED;
    }

    /**
     * Undoes a reservation whose write never reached the loop (the loop refused the task). Any
     * thread; a flip it causes is reported at the loop's next call, if any.
     *
     * @param length the length reserved
     */
    public void releaseUnsubmitted(int length) {
        account.release(length, 1);
    }

    /**
     * Undoes a reservation whose write the loop refused before queueing it (it failed a check);
     * loop thread.
     *
     * @param length the length reserved
     */
    public void cancelReserved(int length) {
        reconcile();
        account.release(length, 1);
        reconcile();
        drain();
    }

    /**
     * Builds the failure of a write refused by the bound.
     *
     * @param destination where it was going, or {@code null}
     * @param length its payload length
     * @return the exception its completion receives
     */
    public PendingWritesFullException full(SocketAddress destination, long length) {
        return new PendingWritesFullException(destination, length, account.bytes(), account.bound());
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
        reconcile();
        if (peer != null) {
            while (!queue.isEmpty()) {
                SocketAddress to = destinationOf(queue.head());
                ConnectedWhilePendingException failure = new ConnectedWhilePendingException(to);
                failHead(WriteStats.Kind.OTHER, failure, to);
            }
            reconcile();
        }
        connectedPeer = peer;
        failUnaddressedHeads();
        drain();
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

    /**
     * The manager's counters: writes and bytes sent, failures by kind. Every write that fails
     * through this manager is counted, whatever failed it.
     *
     * @return the counters, readable from any thread
     */
    public WriteStats stats() {
        return stats;
    }

    // ---- queueing ----

    /**
     * Hands out the slot at the tail of the queue, cleared, for the caller to fill in place with
     * the {@link PendingWrite} setters; nothing is queued until {@link #commit()}. Claiming again
     * without committing hands out the same slot, cleared again. Between the two, call nothing
     * else on this manager: a completion run by another call could claim the same slot.
     *
     * @return the slot; valid until {@link #commit()} or the next {@code claim()}
     */
    public PendingWrite claim() {
        claimed = queue.claim();
        return claimed;
    }

    /**
     * Queues the claimed datagram, not yet flushed. A write the manager refuses completes at once
     * and is not queued: after close ({@link ChannelClosedException} "write after close"), without
     * destination on an unconnected channel ({@link NotConnectedException}), to another address
     * than the connected peer ({@link AddressMismatchException}), or past the bound
     * ({@link PendingWritesFullException}).
     *
     * @return {@link #isWritable()} afterwards
     * @throws IllegalStateException when nothing is claimed, or the claimed slot has no payload
     */
    public boolean commit() {
        return commit(-1);
    }

    /**
     * Queues the claimed datagram like {@link #commit()}, for a write already counted by
     * {@link #reserve}: it is not counted again nor checked against the bound, and a refusal
     * releases the reservation.
     *
     * @param reservedLength the length given to {@link #reserve} (the slot's length wins if it changed since)
     * @return {@link #isWritable()} afterwards
     * @throws IllegalStateException when nothing is claimed, or the claimed slot has no payload
     */
    public boolean commitReserved(int reservedLength) {
        if (reservedLength < 0) {
            throw new IllegalArgumentException("reserved length " + reservedLength);
        }
        return commit(reservedLength);
    }

    /** @param reserved the reserved length, or -1 when the write is not counted yet */
    private boolean commit(int reserved) {
        PendingWrite w = claimed;
        if (w == null) {
            throw new IllegalStateException("commit without claim");
        }
        claimed = null;
        if (!w.hasPayload()) {
            w.clear();
            if (reserved >= 0) {
                account.release(reserved, 1);
            }
            throw new IllegalStateException("a claimed write must have a buffer or a segment");
        }
        SocketAddress destination = w.destination();
        int length = w.length();
        boolean addressable = destination == null ? connectedPeer != null
                : connectedPeer == null || destination.equals(connectedPeer);
        if (reserved < 0 && open && addressable) {
            // The loop's own write, the common case: counted by one compare-and-set, whose result
            // also says whether anything flipped (this write, or a producer since the last report).
            long state = account.tryAdd(length);
            if (state != PendingAccount.REFUSED) {
                queue.commitClaimed(w);
                if (PendingAccount.flips(state) != reportedFlips) {
                    reconcile();
                    drain();
                }
                return PendingAccount.writable(state);
            }
            reconcile(); // a producer's flip before this refusal is reported before it
            refuse(w, () -> full(destination, length));
        } else {
            reconcile();
            if (!open) {
                refuse(w, () -> new ChannelClosedException("write after close"));
            } else if (destination == null && connectedPeer == null) {
                refuse(w, () -> new NotConnectedException(null, 0));
            } else if (!addressable) {
                refuse(w, () -> new AddressMismatchException(destination, 0));
            } else {
                queue.commitClaimed(w);
                if (reserved != length) {
                    account.adjust(length - reserved);
                }
                reserved = -1;
            }
            if (reserved >= 0) {
                account.release(reserved, 1); // refused before queueing: the reservation ends here
            }
        }
        reconcile();
        drain();
        return account.writable();
    }

    /** Refusals are rare; the supplier keeps an exception from being built when nobody listens. */
    private void refuse(PendingWrite w, Supplier<Throwable> failure) {
        WriteCompletion completion = w.completion();
        SocketAddress to = w.destination();
        w.clear();
        if (completion != null || completions.tracksUntrackedFailures()) {
            Throwable t = failure.get();
            stats.failed(WriteStats.Kind.OTHER, t, to, 1);
            completions.offer(completion, t);
        } else {
            stats.failed(WriteStats.Kind.OTHER, null, to, 1);
        }
    }

    /**
     * Flush mark: every write queued so far becomes flushable. (On a disconnected channel a
     * write without destination at the head fails here, see {@link #setConnectedPeer}.)
     */
    public void flush() {
        reconcile();
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
        reconcile();
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
        int count = 1;
        boolean vector = false;
        if (queue.mechanism() == WriteMechanism.VECTOR) {
            count = queue.vectorCount(maxVectorMessages, maxVectorBytes, connectedPeer == null);
            // count == 0: the head alone is over the vector byte limit; it goes out alone so that
            // the kernel reports its own error for it.
            vector = count > 0;
        }
        PendingWrite head = queue.head();
        assert head.destination() != null || connectedPeer != null : "unaddressed head while not connected";
        outcome.reset();
        try {
            if (vector) {
                writer.writeVector(queue, count, outcome);
            } else {
                count = 1;
                writer.writeScalar(head, outcome);
            }
        } catch (RuntimeException unbuildable) {
            if (vector) {
                // The writer could not even build one of them (released payload, unencodable
                // address): send the head alone until the culprit is the head and fails alone.
                queue.isolateHead();
            } else {
                // Only this datagram is bad; failing it keeps it from wedging everything queued behind it.
                failHead(WriteStats.Kind.OTHER, unbuildable, destinationOf(head));
                afterRemoval();
            }
            return null;
        }
        if (outcome.isSent()) {
            int sent = outcome.sentCount();
            if (sent > count || !vector && sent != 1) {
                throw new IllegalStateException("writer claims " + sent + " of " + count + " datagrams");
            }
            long before = queue.bytes();
            queue.didWrite(sent, completions);
            long bytesSent = before - queue.bytes();
            stats.sent(sent, bytesSent);
            account.release(bytesSent, sent);
            afterRemoval();
            return null;
        }
        SendError kind = outcome.error();
        if (kind == null) {
            throw new IllegalStateException("writer reported nothing");
        }
        switch (kind) {
            case WOULD_BLOCK -> {
                head.addSegmentsSent(outcome.segmentsSent());
                return WriteResult.WOULD_BLOCK;
            }
            case INTERRUPTED -> {
                return null;
            }
            default -> {
                if (!SendFailures.failsOnlyTheDatagram(kind, connectedPeer != null)) {
                    return fatal(outcome.operation(), outcome.errno());
                }
                if (vector) {
                    // sendmmsg reports one errno for the call: send the head alone to learn whose it is.
                    queue.isolateHead();
                } else {
                    SocketAddress to = destinationOf(head);
                    Throwable failure = SendFailures.datagramFailure(kind, outcome.errno(), to);
                    failHead(WriteStats.Kind.of(kind), failure, to);
                    afterRemoval();
                }
                return null;
            }
        }
    }

    /** The head fails alone: counted, then completed in queue order. */
    private void failHead(WriteStats.Kind kind, Throwable failure, SocketAddress to) {
        stats.failed(kind, failure, to, 1);
        long length = queue.head().length();
        queue.failHead(failure, completions);
        account.release(length, 1);
    }

    private WriteResult fatal(String operation, int errno) {
        NativeIOException cause = SendFailures.fatalCause(operation, errno);
        failAllQueued(SendFailures.channelClosed(cause), true);
        return new WriteResult.Fatal(cause);
    }

    private void afterRemoval() {
        reconcile();
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
        while (queue.flushed() > 0 && queue.head().destination() == null) {
            NotConnectedException failure = new NotConnectedException(null, 0);
            failHead(WriteStats.Kind.OTHER, failure, null);
            removed = true;
        }
        if (removed) {
            reconcile();
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
        reconcile();
        failAllQueued(cause, close);
        drain();
    }

    private void failAllQueued(Throwable cause, boolean close) {
        if (close) {
            open = false;
        }
        if (!queue.isEmpty()) {
            stats.failed(WriteStats.Kind.OTHER, cause, destinationOf(queue.head()), queue.size());
        }
        long bytes = queue.bytes();
        int count = queue.size();
        queue.failAll(cause, completions);
        account.release(bytes, count);
        reconcile();
    }

    // ---- state ----

    /** @return whether the pending bytes allow more writes; safe from any thread */
    public boolean isWritable() {
        return account.writable();
    }

    /** @return the total length of the pending writes (queued, flushed or not, or reserved); any thread */
    public long pendingBytes() {
        return account.bytes();
    }

    /** @return how many writes are pending (queued, flushed or not, or reserved); any thread */
    public int pendingDatagrams() {
        return account.datagrams();
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

    /**
     * Offers every writability flip not yet reported, in order: the account decides the flips
     * (with hysteresis, on whichever thread counted), the loop reports them here. An odd counter
     * value means unwritable. A load and a compare when nothing flipped.
     */
    private void reconcile() {
        int now = PendingAccount.flips(account.state());
        while (reportedFlips != now) {
            reportedFlips = (reportedFlips + 1) & PendingAccount.FLIP_MASK;
            completions.offerWritability((reportedFlips & 1) == 0);
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
                byte kind = completions.polledKind();
                WriteCompletion target = completions.polledTarget();
                Throwable failure = completions.polledFailure();
                completions.releasePolled();
                deliver(kind, target, failure);
            }
        } finally {
            draining = false;
        }
    }

    private void deliver(byte kind, WriteCompletion target, Throwable failure) {
        try {
            if (kind == CompletionQueue.COMPLETION) {
                target.onComplete(failure);
            } else {
                listener.writabilityChanged(kind == CompletionQueue.WRITABLE);
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
        return w.destination() != null ? w.destination() : connectedPeer;
    }

    private static void logCompletionError(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "a write completion threw; the write queue carries on", t);
    }
}
