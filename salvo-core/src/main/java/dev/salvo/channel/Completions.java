package dev.salvo.channel;

import dev.salvo.WriteCompletion;
import java.util.concurrent.CompletableFuture;

/** Completions at the API edge: a future becomes the engine's one completion type here. */
final class Completions {
    private Completions() {
    }

    /**
     * The future of {@code writeAndFlush}, which is also the write's completion: one object per
     * write, not a future plus an adapter.
     */
    static final class WriteFuture extends CompletableFuture<Void> implements WriteCompletion {
        @Override
        public void onComplete(Throwable failure) {
            if (failure == null) {
                complete(null);
            } else {
                completeExceptionally(failure);
            }
        }
    }

    /** Completes {@code completion} with a failure; what a user's completion throws must not break the caller. */
    static void fail(WriteCompletion completion, Throwable failure) {
        try {
            completion.onComplete(failure);
        } catch (Throwable ignored) {
            // A completion that throws must not break the caller.
        }
    }
}
