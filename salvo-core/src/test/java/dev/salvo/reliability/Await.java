package dev.salvo.reliability;

import dev.salvo.WriteCompletion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits shared by the reliability tests. */
final class Await {
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
}
