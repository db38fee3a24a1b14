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
