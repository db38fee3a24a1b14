package dev.salvo;

/**
 * A light completion for one write: called exactly once on the channel's event loop when the
 * datagram was handed to the kernel ({@code failure == null}) or could not be sent. Two refusals
 * of a write made on another thread complete on that thread, before {@code write} returns: a
 * {@link PendingWritesFullException} ({@link ChannelOption#MAX_PENDING_BYTES}) and a
 * {@link ChannelClosedException} after the group has shut down.
 *
 * <p>A completion that captures nothing (a static lambda or a shared instance) costs no
 * allocation per write, unlike a {@link java.util.concurrent.CompletableFuture}.
 */
@FunctionalInterface
public interface WriteCompletion {
    /**
     * Called once, on the channel's event loop, when the write's outcome is known. It must not
     * block; an exception it throws is caught and does not affect the channel or other writes.
     *
     * @param failure {@code null} when the datagram was sent, else why it was not (for example a
     *     {@link DatagramTooLargeException} or a {@link ChannelClosedException})
     */
    void onComplete(Throwable failure);
}
