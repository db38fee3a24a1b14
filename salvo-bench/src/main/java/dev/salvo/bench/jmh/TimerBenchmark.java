package dev.salvo.bench.jmh;

import dev.salvo.EventLoop;
import dev.salvo.EventLoopGroup;
import dev.salvo.LoopTimer;
import dev.salvo.TransportType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of loop timers per operation, with {@value #LIVE} timers armed in the heap: re-arm,
 * cancel-then-arm, and arm-then-fire on the loop thread (where a protocol stack calls them), and
 * re-arm from another thread (handed over to the loop).
 *
 * <p>The loop-thread benchmarks run {@value #OPS} operations inside one loop task per invocation,
 * so the hand-off to the loop (one task, one park/unpark, no allocation) is spread over them. Run
 * with {@code scripts/jmh Timer -prof gc}: {@code gc.alloc.rate.norm} must be 0 for re-arm and
 * cancel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerBenchmark {
    static final int LIVE = 1024;
    static final int OPS = 10_000;

    private EventLoopGroup group;
    private EventLoop loop;
    private final LoopTimer[] timers = new LoopTimer[LIVE];
    private LoopTimer foreign;
    private volatile boolean done;
    private volatile Thread waiter;
    private int cursor;
    private int fired;

    private final Runnable wake = () -> {
        done = true;
        LockSupport.unpark(waiter);
    };
    private final Runnable countFire = () -> {
        if (++fired == OPS) {
            wake.run();
        }
    };
    private final Runnable reArm = () -> {
        for (int i = 0; i < OPS; i++) {
            timers[cursor++ & (LIVE - 1)].schedule(1_000 + (i & 4095), TimeUnit.SECONDS);
        }
        wake.run();
    };
    private final Runnable cancelThenArm = () -> {
        for (int i = 0; i < OPS; i++) {
            LoopTimer t = timers[cursor++ & (LIVE - 1)];
            t.cancel();
            t.schedule(1_000 + (i & 4095), TimeUnit.SECONDS);
        }
        wake.run();
    };
    private LoopTimer[] firing;
    private final Runnable armToFire = () -> {
        fired = 0;
        long now = System.nanoTime();
        for (LoopTimer t : firing) {
            t.scheduleAt(now);
        }
    };

    @Setup(Level.Trial)
    public void start() throws Exception {
        group = EventLoopGroup.create(1, TransportType.EPOLL);
        loop = group.next();
        firing = new LoopTimer[OPS];
        for (int i = 0; i < OPS; i++) {
            firing[i] = loop.newTimer(countFire);
        }
        for (int i = 0; i < LIVE; i++) {
            timers[i] = loop.newTimer(() -> { });
        }
        foreign = loop.newTimer(() -> { });
        waiter = Thread.currentThread();
        runOnLoop(() -> {
            for (int i = 0; i < LIVE; i++) {
                timers[i].schedule(1_000 + i, TimeUnit.SECONDS);
            }
            wake.run();
        });
    }

    @TearDown(Level.Trial)
    public void stop() {
        group.close();
    }

    private void runOnLoop(Runnable task) {
        waiter = Thread.currentThread();
        done = false;
        loop.execute(task);
        while (!done) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Re-arming an armed timer to a new deadline, on the loop thread. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void reArmOnLoop() {
        runOnLoop(reArm);
    }

    /** Cancelling an armed timer and arming it again (two heap operations), on the loop thread. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void cancelAndArmOnLoop() {
        runOnLoop(cancelThenArm);
    }

    /** Arming a timer already due and letting the loop fire it. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void armAndFire() {
        runOnLoop(armToFire);
    }

    /** Re-arming from another thread: recorded under the timer's lock, handed to the loop once per burst. */
    @Benchmark
    public void reArmFromAnotherThread() {
        foreign.schedule(1_000 + (cursor++ & 4095), TimeUnit.SECONDS);
    }
}
