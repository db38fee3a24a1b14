package dev.salvo;

import java.net.SocketAddress;

/**
 * A datagram without destination was written on a channel that is not connected.
 * Only this datagram fails; the channel stays open.
 */
public final class NotConnectedException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception with the standard reason, "no destination and channel not connected".
     *
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public NotConnectedException(SocketAddress destination, int errno) {
        super("no destination and channel not connected", destination, errno);
    }

    /**
     * Makes the exception with a reason of the caller's.
     *
     * @param reason what went wrong, in words
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public NotConnectedException(String reason, SocketAddress destination, int errno) {
        super(reason, destination, errno);
    }
}
