package dev.salvo.write;

import dev.salvo.WriteCompletion;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Test payloads that name themselves: a heap buffer holding the tag's text, so that a scripted
 * writer can tell which queued datagram it was handed. The engine never reads payload bytes, so
 * the buffer's size need not match the datagram's length.
 */
final class Tags {
    private Tags() {
    }

    /** @return a buffer whose bytes spell {@code tag} */
    static ByteBuffer payload(Object tag) {
        return ByteBuffer.wrap(String.valueOf(tag).getBytes(StandardCharsets.UTF_8));
    }

    /** @return the tag a {@link #payload} spells, or a placeholder for other payloads */
    static String of(PendingWrite w) {
        ByteBuffer b = w.buffer();
        if (b != null && b.hasArray()) {
            return new String(b.array(), b.arrayOffset(), b.capacity(), StandardCharsets.UTF_8);
        }
        return w.segment() != null ? "<segment>" : "<null>";
    }

    /** Queues a tagged datagram with claim/commit; @return what {@code commit} returned */
    static boolean queue(PendingDatagramWritesManager m, Object tag, int length, SocketAddress to, WriteCompletion c) {
        m.claim().buffer(payload(tag), 0, length).destination(to).completion(c);
        return m.commit();
    }

    /** As {@link #queue}, with a future completed the way the channel completes its futures. */
    static boolean queueFuture(PendingDatagramWritesManager m, Object tag, int length, SocketAddress to,
                               CompletableFuture<Void> f) {
        return queue(m, tag, length, to, future(f));
    }

    /** @return a completion that completes {@code f}, as the channel wraps futures at the API edge */
    static WriteCompletion future(CompletableFuture<Void> f) {
        return failure -> {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        };
    }
}
