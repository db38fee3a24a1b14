package dev.salvo;

import java.net.SocketAddress;

/**
 * The connected peer refused the datagram: an earlier datagram drew an ICMP port-unreachable ({@code ECONNREFUSED}).
 * Only this datagram fails; the channel stays open.
 */
public final class ConnectionRefusedException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception with the standard reason, "connection refused".
     *
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public ConnectionRefusedException(SocketAddress destination, int errno) {
        super("connection refused", destination, errno);
    }

    /**
     * Makes the exception with a reason of the caller's.
     *
     * @param reason what went wrong, in words
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public ConnectionRefusedException(String reason, SocketAddress destination, int errno) {
        super(reason, destination, errno);
    }
}
