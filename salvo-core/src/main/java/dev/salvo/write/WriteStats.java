package dev.salvo.write;

import dev.salvo.ConnectionRefusedException;
import dev.salvo.DatagramTooLargeException;
import dev.salvo.HostUnreachableException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The write counters of one {@link PendingDatagramWritesManager}: writes and bytes handed to the
 * kernel, and failed writes by {@link Kind}. Written on the event loop only, with ordered stores
 * (no atomic read-modify-write, no allocation), once per writer call for the sent ones; readable
 * from any thread.
 */
public final class WriteStats {

    /** Why a write failed, as {@link dev.salvo.ChannelStats} counts it. */
    public enum Kind {
        /** Too large for the socket, the path or UDP ({@code EMSGSIZE}, or refused before queueing). */
        TOO_LARGE,
        /** No route to the destination host or network. */
        UNREACHABLE,
        /** A route or firewall forbids the destination. */
        PROHIBITED,
        /** The connected peer answered with ICMP port unreachable. */
        REFUSED,
        /** The kernel refused the datagram's segmentation offload. */
        OFFLOAD_REFUSED,
        /** Anything else: the channel closed, not connected, an unsupported address... */
        OTHER;

        private static final Kind[] VALUES = values();

        /**
         * Maps the engine's classification of a kernel refusal.
         *
         * @param error the writer's classification
         * @return the kind it is counted as
         */
        public static Kind of(SendError error) {
            return switch (error) {
                case TOO_LARGE -> TOO_LARGE;
                case UNREACHABLE -> UNREACHABLE;
                case PROHIBITED -> PROHIBITED;
                case REFUSED -> REFUSED;
                case OFFLOAD_REFUSED -> OFFLOAD_REFUSED;
                case WOULD_BLOCK, INTERRUPTED, FATAL -> OTHER;
            };
        }

        /**
         * Classifies a failure by its exception type, where the engine did not decide the kind
         * itself (refused before the system call, closed...).
         *
         * @param failure what the write's completion received
         * @return the kind it is counted as
         */
        public static Kind of(Throwable failure) {
            if (failure instanceof DatagramTooLargeException) {
                return TOO_LARGE;
            }
            if (failure instanceof HostUnreachableException) {
                return UNREACHABLE;
            }
            if (failure instanceof ConnectionRefusedException) {
                return REFUSED;
            }
            return OTHER;
        }
    }

    /** Told of every counted failure, on the loop thread; for events and logs. */
    @FunctionalInterface
    public interface FailureObserver {
        /**
         * Called once per counted failure, or once for several writes failed together.
         *
         * @param kind how the failure was counted
         * @param failure what the writes' completions receive
         * @param destination where the (first) write was going, or {@code null} when unknown
         * @param count how many writes failed so (1, or all the queued writes when the channel closes)
         */
        void writeFailed(Kind kind, Throwable failure, SocketAddress destination, int count);
    }

    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLongArray failures = new AtomicLongArray(Kind.VALUES.length);
    /** Writes refused by the pending-bytes bound on another thread: counted there, so atomically. */
    private final AtomicLong fullRejections = new AtomicLong();
    private FailureObserver observer;

    /** Creates counters at 0, with no observer. */
    public WriteStats() {
    }

    /**
     * Sets who hears of each failure (loop thread).
     *
     * @param observer told of every counted failure, or {@code null} for none
     */
    public void setObserver(FailureObserver observer) {
        this.observer = observer;
    }

    /**
     * Counts writes handed to the kernel by one system call (loop thread only).
     *
     * @param count the writes sent
     * @param payloadBytes their payload bytes together
     */
    public void sent(int count, long payloadBytes) {
        // Only the loop thread writes: ordered stores, not atomic adds.
        datagrams.lazySet(datagrams.getPlain() + count);
        bytes.lazySet(bytes.getPlain() + payloadBytes);
    }

    /**
     * Counts failed writes (loop thread only) and tells the observer.
     *
     * @param kind how to count them
     * @param failure what their completions receive
     * @param destination where the (first) write was going, or {@code null}
     * @param count how many writes failed; nothing happens for 0
     */
    public void failed(Kind kind, Throwable failure, SocketAddress destination, int count) {
        if (count <= 0) {
            return;
        }
        int i = kind.ordinal();
        failures.lazySet(i, failures.getPlain(i) + count);
        FailureObserver o = observer;
        if (o != null) {
            o.writeFailed(kind, failure, destination, count);
        }
    }

    /**
     * Counts one failed write, classified by its exception type (loop thread only).
     *
     * @param failure what its completion receives
     * @param destination where it was going, or {@code null}
     */
    public void failed(Throwable failure, SocketAddress destination) {
        failed(Kind.of(failure), failure, destination, 1);
    }

    /**
     * Counts one write refused by the pending-bytes bound before it reached the loop; any thread.
     * It is counted as {@link Kind#OTHER} (a refusal on the loop goes through {@link #failed}).
     */
    public void rejectedFull() {
        fullRejections.incrementAndGet();
    }

    /**
     * Reads the count of writes sent; any thread.
     *
     * @return writes handed to the kernel so far
     */
    public long datagrams() {
        return datagrams.get();
    }

    /**
     * Reads the count of bytes sent; any thread.
     *
     * @return payload bytes handed to the kernel so far
     */
    public long bytes() {
        return bytes.get();
    }

    /**
     * Reads one failure counter.
     *
     * @param kind the kind of failure
     * @return writes that failed so far with that kind; any thread
     */
    public long failures(Kind kind) {
        long n = failures.get(kind.ordinal());
        return kind == Kind.OTHER ? n + fullRejections.get() : n;
    }
}
