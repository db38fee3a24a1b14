package dev.salvo.transport;

import java.io.IOException;

/**
 * Readiness notification for one event loop: epoll on Linux, a {@link java.nio.channels.Selector}
 * elsewhere. Level-triggered: a socket that still has data is reported again on the next poll,
 * so a loop may stop reading a busy socket to be fair to the others.
 */
public interface Poller extends AutoCloseable {
    /** Called for each ready socket by {@link #poll}. */
    @FunctionalInterface
    interface ReadyHandler {
        /**
         * @param attachment what was registered with the socket
         * @param readable there is something to read
         * @param writable the socket has room to write
         * @param error the socket has a pending error or hang-up
         */
        void ready(Object attachment, boolean readable, boolean writable, boolean error);
    }

    /**
     * Starts watching a socket for readability (and errors).
     *
     * @param socket the socket, of this poller's transport
     * @param attachment handed back by {@link #poll}
     * @throws IOException when the kernel refuses
     */
    void register(SocketOps socket, Object attachment) throws IOException;

    /**
     * Starts or stops watching a socket for room to write, independently of read interest.
     *
     * @param socket a registered socket
     * @param wantWritable whether to be told when it has room to write
     * @throws IOException when the kernel refuses
     */
    void setWriteInterest(SocketOps socket, boolean wantWritable) throws IOException;

    /**
     * Starts or stops watching a socket for readability, independently of write interest; a
     * socket that is not watched lets datagrams queue in the kernel (and the kernel drop and
     * count what does not fit). Errors are reported either way.
     *
     * @param socket a registered socket
     * @param wantReadable whether to be told when it has something to read (the default after
     *     {@link #register})
     * @throws IOException when the kernel refuses
     */
    void setReadInterest(SocketOps socket, boolean wantReadable) throws IOException;

    /**
     * Says whether the loop will read this socket again at its next turn without waiting to hear
     * that it is readable: {@code true} after a read that stopped at the budget with datagrams
     * left, {@code false} after a read that found it empty. A poller for which watching a socket
     * costs something per datagram may stop watching it while it is busy: epoll's wait-queue
     * entry makes every arriving datagram run epoll's callback in the context that delivers it (on
     * loopback, the sender's system call), about 7 % of a sender's time measured, for readiness
     * the loop does not need while it reads the socket anyway. The default watches on, so
     * readiness keeps being reported level-triggered.
     *
     * <p>Stopping leaves write interest alone: a socket that waits for room to write stays watched.
     * Any later interest change, and {@code busy = false}, watch it again; the kernel then
     * reports at once whatever arrived meanwhile, so nothing waits unnoticed.
     *
     * @param socket a registered socket
     * @param busy whether the loop will read it again at its next turn unasked
     * @return whether the poller stopped watching it: the loop must then read it again itself
     * @throws IOException when the kernel refuses
     */
    default boolean setBusy(SocketOps socket, boolean busy) throws IOException {
        return false;
    }

    /** @param socket a registered socket, to stop watching before it is closed */
    void deregister(SocketOps socket);

    /**
     * Waits for readiness, then calls {@code handler} for each ready socket.
     *
     * @param timeoutNanos how long to wait, in nanoseconds; 0 returns at once, a negative value
     *     waits until woken. A poller with a coarser clock rounds up, never down, so a timer is
     *     never early
     * @param handler called for each ready socket
     * @return how many sockets were ready
     * @throws IOException when polling itself fails
     */
    int poll(long timeoutNanos, ReadyHandler handler) throws IOException;

    /** Makes a blocked or the next {@link #poll} return at once. Callable from any thread. */
    void wakeup();

    /** Frees the poller. */
    @Override
    void close();
}
