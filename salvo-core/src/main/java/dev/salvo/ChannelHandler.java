package dev.salvo;

/**
 * Receives a channel's events, always on the channel's event-loop thread.
 *
 * <p>Only {@link #onDatagram} must be written; the other events have empty defaults. A handler
 * may call any channel method, including {@code write}, {@code flush} and {@code close}.
 */
@FunctionalInterface
public interface ChannelHandler {
    /**
     * A datagram arrived. The view is valid only during this call.
     *
     * @param channel the channel that received it
     * @param datagram the datagram (see {@link InboundDatagram#copy()} to keep it)
     */
    void onDatagram(DatagramChannel channel, InboundDatagram datagram);

    /**
     * All datagrams of one read batch were delivered: a good moment to flush replies.
     *
     * @param channel the channel that read
     */
    default void onReadComplete(DatagramChannel channel) {
    }

    /**
     * Something went wrong that did not belong to a write with a completion: a read error that
     * keeps the channel open ({@code ECONNREFUSED}, {@code ENOMEM}), a pending socket error
     * ({@code SO_ERROR}), a failed fire-and-forget write, or the error that is closing the channel.
     *
     * @param channel the channel concerned
     * @param error what happened
     */
    default void onError(DatagramChannel channel, Throwable error) {
    }

    /**
     * The channel's writability changed: pending bytes rose above the high water mark
     * ({@code false}) or fell below the low one ({@code true}). Called once per transition.
     *
     * @param channel the channel concerned
     * @param writable its new writability
     */
    default void onWritabilityChanged(DatagramChannel channel, boolean writable) {
    }
}
