package dev.salvo;

import dev.salvo.loop.EventLoop;
import dev.salvo.transport.Transport;
import dev.salvo.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

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
 */
public final class EventLoopGroup implements AutoCloseable {
    private static final AtomicInteger GROUP_IDS = new AtomicInteger();

    private final Transport transport;
    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean shutdown;

    private EventLoopGroup(int threads, Transport transport) {
        this.transport = transport;
        this.loops = new EventLoop[threads];
        int id = GROUP_IDS.incrementAndGet();
        try {
            for (int i = 0; i < threads; i++) {
                loops[i] = new EventLoop(transport, "salvo-" + transport.name() + "-" + id + "-" + i);
            }
        } catch (IOException e) {
            for (EventLoop loop : loops) {
                if (loop != null) {
                    loop.shutdown();
                }
            }
            throw new UncheckedIOException("cannot start event loop", e);
        }
    }

    /** @return a group with one loop per available processor and the best transport */
    public static EventLoopGroup create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads the number of event loops, at least 1
     * @return a group using the best transport available
     */
    public static EventLoopGroup create(int threads) {
        return create(threads, TransportType.AUTO);
    }

    /**
     * @param threads the number of event loops, at least 1
     * @param type which transport to use
     * @return the group
     * @throws IllegalArgumentException when {@code threads < 1}
     * @throws IllegalStateException when the requested transport is unavailable here (the message says why)
     */
    public static EventLoopGroup create(int threads, TransportType type) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new EventLoopGroup(threads, Transports.resolve(type));
    }

    /** @return the transport's name: {@code "epoll"} or {@code "nio"} */
    public String transportName() {
        return transport.name();
    }

    /** @return the number of event loops */
    public int size() {
        return loops.length;
    }

    /** @return whether {@link #shutdownGracefully()} or {@link #close()} was called */
    public boolean isShutdown() {
        return shutdown;
    }

    /** @return the loop for a new channel, round-robin; package-private for {@link DatagramChannel} */
    EventLoop nextLoop() {
        if (shutdown) {
            throw new IllegalStateException("event loop group has been shut down");
        }
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** @return loop {@code index}; for channels that must share a loop (e.g. one per core) */
    EventLoop loop(int index) {
        if (shutdown) {
            throw new IllegalStateException("event loop group has been shut down");
        }
        return loops[Math.floorMod(index, loops.length)];
    }

    /**
     * Closes every channel (their pending writes fail with {@link ChannelClosedException}), stops
     * the threads and frees native memory.
     *
     * @return completes when every loop has ended
     */
    public CompletableFuture<Void> shutdownGracefully() {
        shutdown = true;
        CompletableFuture<?>[] all = new CompletableFuture<?>[loops.length];
        for (int i = 0; i < loops.length; i++) {
            all[i] = loops[i].shutdown();
        }
        return CompletableFuture.allOf(all);
    }

    /** Shuts down and waits for the loops to end. Must not be called from a loop thread. */
    @Override
    public void close() {
        for (EventLoop loop : loops) {
            if (loop.inEventLoop()) {
                throw new IllegalStateException("close() would wait for its own event loop; use shutdownGracefully()");
            }
        }
        try {
            shutdownGracefully().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("event loop failed", e.getCause());
        }
    }
}
