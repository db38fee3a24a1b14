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
    /**
     * Starts a group with one event loop per available processor, on {@link TransportType#AUTO}.
     *
     * <p>When {@code AUTO} cannot use the Linux transport (most often because native access is
     * not enabled), the group runs on {@code java.nio} and a WARNING saying why and which
     * {@code --enable-native-access} flag to add is logged once per process through
     * {@link System.Logger} (logger {@code dev.salvo}).
     *
     * @return a group with one loop per available processor and the best transport
     */
    static EventLoopGroup create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a group of {@code threads} event loops on {@link TransportType#AUTO}: Linux epoll over
     * FFM when available, else {@code java.nio}, with the once-per-process warning described at
     * {@link #create()}.
     *
     * @param threads the number of event loops, at least 1
     * @return a group using the best transport available
     * @throws IllegalArgumentException when {@code threads < 1}, or when the system property
     *     {@code salvo.transport} is not {@code auto}, {@code epoll} or {@code nio}
     * @throws IllegalStateException when {@code -Dsalvo.transport=epoll} asks for epoll and it is
     *     unavailable (the message says why)
     */
    static EventLoopGroup create(int threads) {
        return create(threads, TransportType.AUTO);
    }

    /**
     * Starts a group of {@code threads} event loops on the given transport.
     *
     * @param threads the number of event loops, at least 1
     * @param type which transport to use; {@link TransportType#AUTO} behaves as {@link #create(int)}
     * @return the group
     * @throws IllegalArgumentException when {@code threads < 1}, or for {@code AUTO} when the
     *     system property {@code salvo.transport} has another value than {@code auto},
     *     {@code epoll} or {@code nio}
     * @throws IllegalStateException when the requested transport is unavailable here, with one
     *     sentence saying why, e.g. {@code "the epoll transport is unavailable: native access is not
     *     enabled for the class path; start java with --enable-native-access=ALL-UNNAMED"}
     * @throws NullPointerException when {@code type} is null
     */
    static EventLoopGroup create(int threads, TransportType type) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return SalvoProvider.installed().newGroup(threads, java.util.Objects.requireNonNull(type, "type"));
    }

    /**
     * Names the transport the group's loops run.
     *
     * @return the transport's name: {@code "epoll"} or {@code "nio"}
     */
    String transportName();

    /**
     * Returns the group's size.
     *
     * @return the number of event loops
     */
    int size();

    /**
     * Gives one of the group's loops, round-robin: for timers and tasks that are not tied to one
     * channel.
     *
     * @return the next loop
     * @throws IllegalStateException after the group has shut down
     */
    EventLoop next();

    /**
     * Tells whether shutting down has begun.
     *
     * @return whether {@link #shutdownGracefully()} or {@link #close()} was called
     */
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
