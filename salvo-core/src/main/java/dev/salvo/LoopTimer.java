package dev.salvo;

import java.util.concurrent.TimeUnit;

/**
 * A timer of one {@link EventLoop}: a task and at most one deadline. Made by
 * {@link EventLoop#newTimer(Runnable)} (unarmed) or by the loop's {@code schedule} methods
 * (armed). A timer can be armed, re-armed and cancelled any number of times; on the loop thread
 * none of these allocate. From another thread they are handed to the loop and take effect in the
 * order they were called: calls the loop has not applied yet collapse into the last one (a burst
 * of re-arms from a producer thread costs the loop one task), and the arming order that breaks
 * deadline ties is the order of the calls, whichever thread made them.
 *
 * <p>When the loop shuts down, timers still armed are dropped without running; arming one after
 * shutdown has begun throws {@link java.util.concurrent.RejectedExecutionException}.
 *
 * <p>Deadlines are on the {@link System#nanoTime()} clock. The task runs on the loop thread, never
 * before the deadline, in deadline order with the loop's other timers (ties in arming order).
 */
public interface LoopTimer {
    /**
     * Arms the timer to fire after a delay, replacing any deadline it had. On a fixed-rate timer
     * this replaces the repetition too: it fires once.
     *
     * @param delay how long from now; 0 or less fires at the loop's next turn
     * @param unit the unit of {@code delay}
     * @throws NullPointerException when {@code unit} is null
     * @throws java.util.concurrent.RejectedExecutionException when the loop has shut down
     */
    void schedule(long delay, TimeUnit unit);

    /**
     * Arms the timer to fire at a deadline, replacing any deadline it had (and, on a fixed-rate
     * timer, its repetition: it fires once).
     *
     * @param deadlineNanos when to fire, on the {@link System#nanoTime()} clock
     * @throws java.util.concurrent.RejectedExecutionException when the loop has shut down
     */
    void scheduleAt(long deadlineNanos);

    /**
     * Disarms the timer; it keeps its task and can be armed again. Cancelling a fixed-rate timer
     * stops its repetition.
     *
     * @return whether the timer was armed (on another thread than the loop's: whether it was armed
     *     as far as this thread's earlier calls tell)
     */
    boolean cancel();

    /**
     * Tells whether the timer is armed and has not fired yet.
     *
     * @return whether a deadline is pending
     */
    boolean isScheduled();

    /**
     * Gives the pending deadline.
     *
     * @return the deadline on the {@link System#nanoTime()} clock, or {@link Long#MIN_VALUE} when
     *     the timer is not armed
     */
    long deadlineNanos();

    /**
     * Gives the loop the timer belongs to.
     *
     * @return the loop whose thread runs the task
     */
    EventLoop eventLoop();
}
