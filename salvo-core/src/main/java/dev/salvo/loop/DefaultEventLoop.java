package dev.salvo.loop;

import dev.salvo.transport.Poller;
import dev.salvo.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event-loop thread: it owns a poller, the transport's per-loop scratch memory, a task queue
 * for calls from other threads, and the channels registered with it.
 *
 * <p>Invariants: channel state is touched only on this thread; tasks run in the order they were
 * submitted, so calls one thread hands over keep their order; a task submitted from another thread
 * wakes the poller at most once until the loop runs tasks again.
 */
public final class DefaultEventLoop implements dev.salvo.EventLoop {
    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;

    private final Transport.LoopResources resources;
    private final Poller poller;
    private final Thread thread;
    /** Adding a task allocates nothing, so a loop that reschedules itself makes no garbage. */
    private final TaskQueue tasks = new TaskQueue();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final Set<LoopChannel> channels = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Poller.ReadyHandler dispatch = DefaultEventLoop::dispatch;

    /**
     * Creates and starts a loop.
     *
     * @param transport the transport whose resources the loop owns
     * @param name the thread's name
     * @throws IOException when the transport cannot create a poller
     */
    public DefaultEventLoop(Transport transport, String name) throws IOException {
        this.resources = transport.newLoop();
        this.poller = resources.poller();
        this.thread = new LoopThread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return this loop's transport resources (poller, socket factory); loop thread only */
    public Transport.LoopResources resources() {
        return resources;
    }

    /**
     * @return the event loop whose thread is calling, or {@code null} when the caller is no
     *     event-loop thread (of any group)
     */
    public static DefaultEventLoop current() {
        return Thread.currentThread() instanceof LoopThread t ? t.loop : null;
    }

    @Override
    public dev.salvo.LoopTimer newTimer(Runnable task) {
        // Placeholder until the timer heap lands (issue 12); nothing calls it yet.
        throw new UnsupportedOperationException("timers are not implemented yet");
    }

    @Override
    public dev.salvo.LoopTimer scheduleAtFixedRate(Runnable task, long initialDelay, long period,
            java.util.concurrent.TimeUnit unit) {
        throw new UnsupportedOperationException("timers are not implemented yet");
    }

    /** @return the name of this loop's thread, for messages */
    @Override
    public String name() {
        return thread.getName();
    }

    /** @return whether the caller is this loop's thread */
    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** @return whether the loop no longer accepts tasks */
    public boolean isShutdown() {
        return state.get() != RUNNING;
    }

    /**
     * Runs a task on the loop thread, after the tasks submitted before it.
     *
     * @param task the task
     * @throws RejectedExecutionException when the loop has been shut down
     */
    @Override
    public void execute(Runnable task) {
        java.util.Objects.requireNonNull(task, "task");
        if (state.get() == TERMINATED) {
            throw new RejectedExecutionException("event loop " + thread.getName() + " has shut down");
        }
        tasks.add(task);
        if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            poller.wakeup();
        }
    }

    /** @param channel a channel now registered with this loop's poller; loop thread only */
    public void addChannel(LoopChannel channel) {
        channels.add(channel);
    }

    /** @param channel a channel that has closed; loop thread only */
    public void removeChannel(LoopChannel channel) {
        channels.remove(channel);
    }

    /**
     * Closes every channel of this loop, then stops the thread and frees the transport's memory.
     *
     * @return completes when the thread has ended
     */
    public CompletableFuture<Void> shutdown() {
        if (state.compareAndSet(RUNNING, SHUTTING_DOWN)) {
            tasks.add(() -> { });
            poller.wakeup();
        }
        return terminated;
    }

    private static void dispatch(Object attachment, boolean readable, boolean writable, boolean error) {
        ((LoopChannel) attachment).onReady(readable, writable, error);
    }

    private void run() {
        Throwable failure = null;
        try {
            while (state.get() == RUNNING) {
                poller.poll(tasks.isEmpty() ? -1 : 0, dispatch);
                wakeupPending.set(false);
                runTasks();
            }
            closeChannels();
            runTasks();
        } catch (Throwable t) {
            failure = t;
            closeChannels();
        } finally {
            state.set(TERMINATED);
            // Tasks that raced with termination still run, so their futures complete instead of hanging.
            runTasks();
            resources.close();
            if (failure == null) {
                terminated.complete(null);
            } else {
                terminated.completeExceptionally(failure);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                // A task that throws must not end the loop; report it like an uncaught exception.
                thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
            }
        }
    }

    private void closeChannels() {
        List<LoopChannel> open = new ArrayList<>(channels);
        for (LoopChannel c : open) {
            try {
                c.closeForShutdown();
            } catch (Throwable ignored) {
                // Keep closing the others.
            }
        }
        channels.clear();
    }

    /** Marks a thread as an event loop's, so that a blocking call made on it can be refused. */
    private static final class LoopThread extends Thread {
        private final DefaultEventLoop loop;

        LoopThread(DefaultEventLoop loop, String name) {
            super(loop::run, name);
            this.loop = loop;
        }
    }
}
