package dev.salvo;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One event-loop thread of an {@link EventLoopGroup}: it runs the channels registered with it,
 * the tasks given to {@link #execute(Runnable)}, and timers.
 *
 * <p>Everything runs on the loop's one thread, so a protocol stack that keeps its state on the loop
 * of its channel needs no locks. Tasks run in submission order. Timers fire in deadline order, ties
 * in the order they were armed; a timer never fires before its deadline.
 *
 * <p>A QUIC stack re-arms its loss timer on every packet: create the timer once with
 * {@link #newTimer(Runnable)} and re-arm it with {@link LoopTimer#schedule(long, TimeUnit)}; on the
 * loop thread, arming, re-arming and cancelling allocate nothing.
 *
 * <pre>{@code
 * EventLoop loop = channel.eventLoop();
 * LoopTimer idle = loop.newTimer(() -> channel.close());
 * idle.schedule(30, TimeUnit.SECONDS);   // pushed back on every datagram by calling schedule again
 * }</pre>
 */
public interface EventLoop extends Executor {
    /**
     * Tells whether the calling thread is this loop's thread.
     *
     * @return whether the caller runs on this loop
     */
    boolean inEventLoop();

    /**
     * Names the loop's thread, for messages and metrics.
     *
     * @return the thread's name
     */
    String name();

    /**
     * Creates a timer that is not yet armed. The timer belongs to this loop: its task always runs on
     * this loop's thread.
     *
     * @param task what to run when the timer fires
     * @return the timer, unarmed
     * @throws NullPointerException when {@code task} is null
     */
    LoopTimer newTimer(Runnable task);

    /**
     * Runs a task once, on the loop thread, after a delay.
     *
     * @param task what to run
     * @param delay how long to wait; 0 or less runs it at the loop's next turn
     * @param unit the unit of {@code delay}
     * @return the armed timer, which can be cancelled or re-armed
     * @throws NullPointerException when {@code task} or {@code unit} is null
     * @throws java.util.concurrent.RejectedExecutionException when the loop has shut down
     */
    default LoopTimer schedule(Runnable task, long delay, TimeUnit unit) {
        LoopTimer timer = newTimer(task);
        timer.schedule(delay, unit);
        return timer;
    }

    /**
     * Runs a task repeatedly at a fixed rate: first after {@code initialDelay}, then every
     * {@code period} after that first deadline (not after the task ends). A loop that falls behind
     * runs missed periods at once, one per turn, and never runs one task twice at the same time.
     * A task that throws is reported to the thread's uncaught-exception handler and keeps its
     * schedule.
     *
     * @param task what to run
     * @param initialDelay the delay before the first run
     * @param period the time between two deadlines, greater than 0
     * @param unit the unit of both times
     * @return the timer; {@link LoopTimer#cancel()} stops the repetition
     * @throws IllegalArgumentException when {@code period <= 0}
     * @throws NullPointerException when {@code task} or {@code unit} is null
     * @throws java.util.concurrent.RejectedExecutionException when the loop has shut down
     */
    LoopTimer scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit);
}
