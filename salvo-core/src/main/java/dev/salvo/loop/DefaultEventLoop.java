package dev.salvo.loop;

import dev.salvo.transport.Poller;
import dev.salvo.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
    /** Loop thread only. */
    private final TimerHeap timers = new TimerHeap();
    /** Arming order across threads: ties between equal deadlines go to the lower number. */
    private final AtomicLong timerSeq = new AtomicLong();
    /** Loop thread only: channels to read at the next turn unasked ({@link #readAgain(LoopChannel)}). */
    private LoopChannel[] rereads = new LoopChannel[8];
    /** The other half of the double buffer: the list being read while the next one fills. */
    private LoopChannel[] rereading = new LoopChannel[8];
    private int rereadCount;

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
        return new DefaultLoopTimer(this, task);
    }

    @Override
    public dev.salvo.LoopTimer scheduleAtFixedRate(Runnable task, long initialDelay, long period,
            java.util.concurrent.TimeUnit unit) {
        java.util.Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("period must be > 0, got " + period);
        }
        DefaultLoopTimer timer = new DefaultLoopTimer(this, task);
        long periodNanos = Math.max(1, unit.toNanos(period));
        timer.arm(DefaultLoopTimer.deadlineAfter(System.nanoTime(), unit.toNanos(initialDelay)), periodNanos);
        return timer;
    }

    /** @return the loop's timer heap; loop thread only */
    TimerHeap timers() {
        return timers;
    }

    /** @return the next arming sequence number; any thread */
    long nextTimerSeq() {
        return timerSeq.getAndIncrement();
    }

    /** @throws RejectedExecutionException once shutdown has begun: timers are not armed any more */
    void rejectTimersAfterShutdown() {
        if (state.get() != RUNNING) {
            throw new RejectedExecutionException("event loop " + thread.getName()
                    + " has shut down; timers can no longer be armed");
        }
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
     * Timers still armed are dropped without firing, and arming one from now on throws
     * {@link RejectedExecutionException}.
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
                turn();
            }
            dropTimers();
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

    /**
     * One turn of the loop: wait for I/O (or the next timer, or a task), handle it, run the tasks
     * and the due timers. A method of its own so that the JIT compiles it by its call count: the
     * loop around it is entered once per thread, and a method entered once is compiled only by
     * on-stack replacement after tens of thousands of turns, so until then every turn would start
     * in the interpreter (about 1 % of a busy loop thread, measured).
     */
    private void turn() throws IOException {
        poller.poll(tasks.isEmpty() && rereadCount == 0 ? nanosToNextDeadline() : 0, dispatch);
        wakeupPending.set(false);
        readBusyChannels();
        runTasks();
        runDueTimers();
    }

    /**
     * Has {@code channel} told it is readable at the next turn without its poller saying so: its
     * last read stopped at the budget with datagrams left, and the poller stopped watching it
     * ({@link Poller#setBusy}). Until then the loop does not sleep. Loop thread.
     *
     * @param channel a channel of this loop
     */
    public void readAgain(LoopChannel channel) {
        if (rereadCount == rereads.length) {
            rereads = Arrays.copyOf(rereads, rereadCount * 2);
        }
        rereads[rereadCount++] = channel;
    }

    /** Reads the channels that asked at the last turn, each once; one that is still busy asks again. */
    private void readBusyChannels() {
        int n = rereadCount;
        if (n == 0) {
            return;
        }
        LoopChannel[] now = rereads;
        rereads = rereading;
        rereading = now;
        rereadCount = 0;
        for (int i = 0; i < n; i++) {
            LoopChannel channel = now[i];
            now[i] = null;
            channel.onReady(true, false, false);
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

    /** @return how long the poller may sleep: until the earliest deadline, or -1 (until woken) without timers */
    private long nanosToNextDeadline() {
        TimerHeap.Entry next = timers.peek();
        if (next == null) {
            return -1;
        }
        long now = System.nanoTime();
        if (next.deadline <= now) {
            return 0;
        }
        long wait = next.deadline - now;
        return wait < 0 ? Long.MAX_VALUE : wait; // a far deadline overflowed; the poller clamps it
    }

    /**
     * Fires every timer that is due, in deadline order. A timer armed during this pass (a fixed-rate
     * timer's next period, or a task re-arming with no delay) waits for the next turn, so timers
     * cannot starve I/O and tasks.
     */
    private void runDueTimers() {
        TimerHeap.Entry next = timers.peek();
        if (next == null) {
            return;
        }
        long now = System.nanoTime();
        long passStart = timerSeq.get();
        while (next != null && next.deadline <= now && next.seq < passStart) {
            timers.remove(next);
            try {
                ((DefaultLoopTimer) next).fire();
            } catch (Throwable t) {
                thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
            }
            next = timers.peek();
        }
    }

    /** Pending timers are dropped at shutdown: they never fire. */
    private void dropTimers() {
        TimerHeap.Entry e;
        while ((e = timers.poll()) != null) {
            ((DefaultLoopTimer) e).dropped();
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
