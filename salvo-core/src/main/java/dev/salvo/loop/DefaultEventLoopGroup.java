package dev.salvo.loop;

import dev.salvo.EventLoopGroup;
import dev.salvo.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Salvo's {@link EventLoopGroup}: a fixed array of {@link DefaultEventLoop}s on one transport, handing
 * out loops round-robin to new channels.
 */
public final class DefaultEventLoopGroup implements EventLoopGroup {
    private static final AtomicInteger GROUP_IDS = new AtomicInteger();

    private final Transport transport;
    private final DefaultEventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean shutdown;

    /**
     * Starts {@code threads} loops.
     *
     * @param threads the number of loops, at least 1
     * @param transport the transport every loop uses
     * @throws java.io.UncheckedIOException when a loop cannot start (its poller could not be made)
     */
    public DefaultEventLoopGroup(int threads, Transport transport) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.transport = transport;
        this.loops = new DefaultEventLoop[threads];
        int id = GROUP_IDS.incrementAndGet();
        try {
            for (int i = 0; i < threads; i++) {
                loops[i] = new DefaultEventLoop(transport, "salvo-" + transport.name() + "-" + id + "-" + i);
            }
        } catch (IOException e) {
            for (DefaultEventLoop loop : loops) {
                if (loop != null) {
                    loop.shutdown();
                }
            }
            throw new UncheckedIOException("cannot start event loop", e);
        }
    }

    @Override
    public String transportName() {
        return transport.name();
    }

    @Override
    public int size() {
        return loops.length;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public DefaultEventLoop next() {
        return nextLoop();
    }

    /**
     * @return the loop for a new channel, round-robin
     * @throws IllegalStateException after shutdown
     */
    public DefaultEventLoop nextLoop() {
        if (shutdown) {
            throw new IllegalStateException("event loop group has been shut down");
        }
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /**
     * @param index any number; taken modulo the group's size
     * @return loop {@code index}, for channels that must share a loop (e.g. one per core)
     * @throws IllegalStateException after shutdown
     */
    public DefaultEventLoop loop(int index) {
        if (shutdown) {
            throw new IllegalStateException("event loop group has been shut down");
        }
        return loops[Math.floorMod(index, loops.length)];
    }

    @Override
    public CompletableFuture<Void> shutdownGracefully() {
        shutdown = true;
        CompletableFuture<?>[] all = new CompletableFuture<?>[loops.length];
        for (int i = 0; i < loops.length; i++) {
            all[i] = loops[i].shutdown();
        }
        return CompletableFuture.allOf(all);
    }

    @Override
    public void close() {
        for (DefaultEventLoop loop : loops) {
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
