package dev.salvo.channel;

import dev.salvo.ChannelClosedException;
import dev.salvo.loop.DefaultEventLoop;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a call on a channel's event loop and hands its answer back to the caller.
 *
 * <p>On the loop itself the call runs at once. From a thread that is no event loop, the caller
 * waits for the loop. From <em>another</em> event loop's thread it fails at once: that thread
 * waiting for a loop that may in turn be waiting for it is how two loops configuring each other's
 * channels deadlock, and an event loop must not block anyway.
 */
final class LoopCalls {
    /** One call to run on the loop; may throw what the kernel said. */
    @FunctionalInterface
    interface IoCall<T> {
        T run() throws IOException;
    }

    private LoopCalls() {
    }

    /**
     * @param loop the loop that owns the state the call touches
     * @param what the public method's name, for the message when the call is refused
     * @param body the call
     * @return its result
     * @throws IllegalStateException when called from another event loop's thread
     * @throws IOException what the call threw, or {@link ChannelClosedException} when the loop has shut down
     */
    static <T> T call(DefaultEventLoop loop, String what, IoCall<T> body) throws IOException {
        if (loop.inEventLoop()) {
            return body.run();
        }
        refuseFromOtherLoop(loop, what);
        CompletableFuture<T> f = async(loop, body);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the event loop");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * Runs {@code body} on the loop without waiting.
     *
     * @return completes with the call's result or its exception ({@link ChannelClosedException}
     *     when the loop has shut down)
     */
    static <T> CompletableFuture<T> async(DefaultEventLoop loop, IoCall<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                f.complete(body.run());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        };
        if (loop.inEventLoop()) {
            task.run();
            return f;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new ChannelClosedException("event loop group has been shut down"));
        }
        return f;
    }

    /** @throws IllegalStateException when the caller is an event loop other than {@code loop} */
    static void refuseFromOtherLoop(DefaultEventLoop loop, String what) {
        DefaultEventLoop caller = DefaultEventLoop.current();
        if (caller != null && caller != loop) {
            throw new IllegalStateException(what + " was called on event loop " + caller.name()
                    + " for a channel of event loop " + loop.name() + "; one loop waiting for another can deadlock, "
                    + "so run it on the channel's own loop (channel.eventLoop().execute(...)) or use the async form");
        }
    }

    private static IOException rethrow(Throwable c) {
        if (c instanceof IOException io) {
            return io;
        } else if (c instanceof RuntimeException re) {
            throw re;
        } else if (c instanceof Error err) {
            throw err;
        }
        return new IOException(c);
    }
}
