package dev.salvo.reliability;

import dev.salvo.WriteCompletion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits shared by the reliability tests (and {@link #holdLoop} by the loop conformance suite). */
public final class Await {
    private Await() {
    }

    /** @return a completion that settles {@code f}: normally on success, exceptionally on failure */
    static WriteCompletion into(CompletableFuture<Void> f) {
        return failure -> {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        };
    }

    /** @return the failure of {@code f}, or {@code null} when it succeeded; fails the test after 20 s */
    static Throwable outcome(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Polls {@code condition} every 5 ms for at most {@code millis}; returns its last value. */
    static boolean until(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Holds an event loop (at most 20 s) so that its channels read nothing until the returned latch
     * is counted down; returns once the loop is held.
     */
    public static CountDownLatch holdLoop(Executor loop) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!held.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the event loop was not held within 10 s");
        }
        return release;
    }
}
