package dev.salvo;

import java.net.SocketAddress;

/**
 * The channel was connected while this datagram was still queued, so it was dropped instead of
 * being sent: after {@code connect} a datagram queued for the old addressing could go to the
 * wrong peer or be refused by the kernel. Only this datagram fails; the channel stays open.
 */
public final class ConnectedWhilePendingException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception for one dropped datagram.
     *
     * @param destination where the datagram was going (its own address or the previous peer), or
     *     {@code null}
     */
    public ConnectedWhilePendingException(SocketAddress destination) {
        super("dropped: channel connected while the datagram was queued", destination, 0);
    }
}
