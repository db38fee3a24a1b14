package dev.salvo;

import java.net.SocketAddress;

/**
 * The destination host or network cannot be reached ({@code EHOSTUNREACH} or {@code ENETUNREACH}).
 * Only this datagram fails; the channel stays open.
 */
public final class HostUnreachableException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception with the standard reason, "destination unreachable".
     *
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public HostUnreachableException(SocketAddress destination, int errno) {
        super("destination unreachable", destination, errno);
    }

    /**
     * Makes the exception with a reason of the caller's.
     *
     * @param reason what went wrong, in words
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public HostUnreachableException(String reason, SocketAddress destination, int errno) {
        super(reason, destination, errno);
    }
}
