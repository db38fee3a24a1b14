package dev.salvo;

import java.net.SocketAddress;

/**
 * The datagram is larger than the socket, the path MTU (with don't-fragment set) or the protocol allows.
 * Only this datagram fails; the channel stays open.
 */
public final class DatagramTooLargeException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception with the standard reason, "datagram too large".
     *
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public DatagramTooLargeException(SocketAddress destination, int errno) {
        super("datagram too large", destination, errno);
    }

    /**
     * Makes the exception with a reason of the caller's.
     *
     * @param reason what went wrong, in words
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public DatagramTooLargeException(String reason, SocketAddress destination, int errno) {
        super(reason, destination, errno);
    }
}
