package dev.salvo.channel;

import dev.salvo.WriteCompletion;
import java.util.concurrent.CompletableFuture;

/** Completions at the API edge: a future becomes the engine's one completion type here. */
final class Completions {
    private Completions() {
    }

    /** @return a completion that completes {@code future} (allocates; only for callers that asked for a future) */
    static WriteCompletion of(CompletableFuture<Void> future) {
        return failure -> {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        };
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
