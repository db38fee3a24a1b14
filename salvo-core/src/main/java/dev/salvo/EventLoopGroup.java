package dev.salvo;

import java.util.concurrent.CompletableFuture;

/**
 * A fixed set of event-loop threads that run channels. Each loop owns a poller (epoll or a
 * selector), a task queue for calls from other threads, and its native scratch memory; a channel
 * stays on the loop it was given at open.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.create(1)) {
 *     DatagramChannel ch = DatagramChannel.builder(group).bind(new InetSocketAddress("127.0.0.1", 0));
 *     ...
 * } // closes every channel, failing their pending writes with ChannelClosedException
 * }</pre>
 *
 * <p>Only groups made by the {@code create} methods can run channels; the interface exists so
 * that code taking a group can be tested with a fake.
 */
public interface EventLoopGroup extends AutoCloseable {
    /** @return a group with one loop per available processor and the best transport */
    static EventLoopGroup create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads the number of event loops, at least 1
     * @return a group using the best transport available
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    static EventLoopGroup create(int threads) {
        return create(threads, TransportType.AUTO);
    }

    /**
     * @param threads the number of event loops, at least 1
     * @param type which transport to use
     * @return the group
     * @throws IllegalArgumentException when {@code threads < 1}
     * @throws IllegalStateException when the requested transport is unavailable here (the message says why)
     */
    static EventLoopGroup create(int threads, TransportType type) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return SalvoProvider.installed().newGroup(threads, java.util.Objects.requireNonNull(type, "type"));
    }

    /** @return the transport's name: {@code "epoll"} or {@code "nio"} */
    String transportName();

    /** @return the number of event loops */
    int size();

    /** @return whether {@link #shutdownGracefully()} or {@link #close()} was called */
    boolean isShutdown();

    /**
     * Closes every channel (their pending writes fail with {@link ChannelClosedException}), stops
     * the threads and frees native memory.
     *
     * @return completes when every loop has ended
     */
    CompletableFuture<Void> shutdownGracefully();

    /**
     * Shuts down and waits for the loops to end.
     *
     * @throws IllegalStateException when called from one of the group's own loop threads (use
     *     {@link #shutdownGracefully()} there)
     */
    @Override
    void close();
}
