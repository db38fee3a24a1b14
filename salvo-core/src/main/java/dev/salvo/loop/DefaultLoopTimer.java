package dev.salvo.loop;

import dev.salvo.EventLoop;
import dev.salvo.LoopTimer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LoopTimer} of a {@link DefaultEventLoop}: an entry of the loop's {@link TimerHeap}.
 *
 * <p>On the loop thread every call works on the heap directly and allocates nothing. A call from
 * another thread records the wanted state (arm at a deadline, or cancel) under the timer's lock,
 * with the arming sequence number taken at call time, and queues the timer's one hand-over task
 * on the loop unless it is already queued. Later calls before the loop gets to it only replace the
 * wanted state, so no call is lost, the last one wins, and a burst of re-arms from a producer
 * thread costs one task. A loop-thread call made while a hand-over is pending supersedes it.
 */
final class DefaultLoopTimer extends TimerHeap.Entry implements LoopTimer {
    private static final int NONE = 0;
    private static final int ARM = 1;
    private static final int CANCEL = 2;
    private static final VarHandle VISIBLE_DEADLINE;

    static {
        try {
            VISIBLE_DEADLINE = MethodHandles.lookup()
                    .findVarHandle(DefaultLoopTimer.class, "visibleDeadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DefaultEventLoop loop;
    private final Runnable task;
    /** Period of a fixed-rate timer in nanoseconds, 0 for a one-shot timer; loop thread only. */
    long periodNanos;
    /** The loop's deadline as other threads see it ({@link Long#MIN_VALUE}: unarmed); written with release. */
    @SuppressWarnings("unused")
    private volatile long visibleDeadline = Long.MIN_VALUE;

    // Hand-over state, guarded by this.
    private int pendingOp = NONE;
    private long pendingDeadline;
    private long pendingSeq;
    private long pendingPeriod;
    /** Whether {@link #handOver} is in the loop's task queue; written under the lock. */
    private volatile boolean handOverQueued;
    private final Runnable handOver = this::applyPending;

    DefaultLoopTimer(DefaultEventLoop loop, Runnable task) {
        this.loop = loop;
        this.task = Objects.requireNonNull(task, "task");
    }

    @Override
    public void schedule(long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        scheduleAt(deadlineAfter(System.nanoTime(), unit.toNanos(delay)));
    }

    @Override
    public void scheduleAt(long deadlineNanos) {
        arm(deadlineNanos, 0);
    }

    /** Arms at a deadline with a period (0: one-shot); any thread. */
    void arm(long deadlineNanos, long period) {
        loop.rejectTimersAfterShutdown();
        // Long.MIN_VALUE is the "unarmed" answer of deadlineNanos(); a deadline that far back fires at once anyway.
        long deadline = Math.max(deadlineNanos, Long.MIN_VALUE + 1);
        if (loop.inEventLoop()) {
            if (handOverQueued) {
                synchronized (this) { // see applyPending: the superseded call and this one's effect change together
                    pendingOp = NONE;
                    armOnLoop(deadline, period, loop.nextTimerSeq());
                }
            } else {
                armOnLoop(deadline, period, loop.nextTimerSeq());
            }
        } else {
            handOver(ARM, deadline, period);
        }
    }

    @Override
    public boolean cancel() {
        if (loop.inEventLoop()) {
            if (handOverQueued) {
                synchronized (this) {
                    pendingOp = NONE;
                    return cancelOnLoop();
                }
            }
            return cancelOnLoop();
        }
        synchronized (this) {
            boolean wasArmed = pendingOp != NONE ? pendingOp == ARM : visibleDeadlineNow() != Long.MIN_VALUE;
            handOver(CANCEL, 0, 0);
            return wasArmed;
        }
    }

    @Override
    public boolean isScheduled() {
        return deadlineNanos() != Long.MIN_VALUE;
    }

    @Override
    public long deadlineNanos() {
        if (loop.inEventLoop()) {
            return inHeap() ? deadline : Long.MIN_VALUE;
        }
        synchronized (this) {
            return switch (pendingOp) {
                case ARM -> pendingDeadline;
                case CANCEL -> Long.MIN_VALUE;
                default -> visibleDeadlineNow();
            };
        }
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** Runs the task once it is due; loop thread only, after the loop took it off the heap. */
    void fire() {
        if (periodNanos > 0) {
            // Fixed rate: the next deadline follows this one, not the task's end; set before the task so it can cancel.
            armOnLoop(deadlineAfter(deadline, periodNanos), periodNanos, loop.nextTimerSeq());
        } else {
            VISIBLE_DEADLINE.setRelease(this, Long.MIN_VALUE);
        }
        task.run();
    }

    /** The loop dropped its timers at shutdown. */
    void dropped() {
        VISIBLE_DEADLINE.setRelease(this, Long.MIN_VALUE);
    }

    private void armOnLoop(long deadline, long period, long seq) {
        periodNanos = period;
        loop.timers().schedule(this, deadline, seq);
        VISIBLE_DEADLINE.setRelease(this, deadline);
    }

    private boolean cancelOnLoop() {
        periodNanos = 0;
        boolean wasArmed = loop.timers().remove(this);
        VISIBLE_DEADLINE.setRelease(this, Long.MIN_VALUE);
        return wasArmed;
    }

    private long visibleDeadlineNow() {
        return (long) VISIBLE_DEADLINE.getAcquire(this);
    }

    private void handOver(int op, long deadline, long period) {
        synchronized (this) {
            pendingOp = op;
            pendingDeadline = deadline;
            pendingPeriod = period;
            pendingSeq = op == ARM ? loop.nextTimerSeq() : 0;
            if (!handOverQueued) {
                loop.execute(handOver);
                handOverQueued = true;
            }
        }
    }

    private void applyPending() {
        // Applied under the lock, so that another thread always sees either the pending call or its
        // effect on the visible deadline, never the gap between the two (a cancel() racing with
        // this would answer from a stale deadline).
        synchronized (this) {
            int op = pendingOp;
            pendingOp = NONE;
            handOverQueued = false;
            if (op == ARM) {
                if (loop.isShutdown()) {
                    return; // pending timers are dropped at shutdown
                }
                armOnLoop(pendingDeadline, pendingPeriod, pendingSeq);
            } else if (op == CANCEL) {
                cancelOnLoop();
            }
        }
    }

    /** @return {@code base + delay}, saturated instead of overflowing */
    static long deadlineAfter(long base, long delay) {
        long d = base + delay;
        if (((base ^ d) & (delay ^ d)) < 0) {
            return delay > 0 ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
        }
        return d;
    }
}
