package dev.salvo;

import java.net.SocketAddress;

/**
 * The write was refused at once because it would take the channel's pending bytes past
 * {@link ChannelOption#MAX_PENDING_BYTES}: the producer is writing faster than the socket drains
 * and did not wait for {@link DatagramChannel#isWritable()}. Nothing was queued; only this datagram
 * fails, the channel stays open, and writes are accepted again as soon as queued ones complete.
 */
public final class PendingWritesFullException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /** The bound in force when the write was refused. */
    private final long bound;

    /**
     * Makes the exception for one refused datagram.
     *
     * @param destination where the datagram was going, or {@code null} for the connected peer
     * @param length the datagram's payload length
     * @param pending the bytes pending when it was refused
     * @param bound the bound in force ({@code MAX_PENDING_BYTES}, or the most Salvo can count)
     */
    public PendingWritesFullException(SocketAddress destination, long length, long pending, long bound) {
        super("write queue full: " + pending + " bytes pending, " + length + " more would pass the bound of "
                + bound + " bytes (MAX_PENDING_BYTES)", destination, 0);
        this.bound = bound;
    }

    /**
     * Returns the bound the write would have passed.
     *
     * @return the pending-bytes bound in force when the write was refused
     */
    public long bound() {
        return bound;
    }
}
