package dev.salvo;

import java.net.SocketAddress;

/**
 * A datagram addressed to somewhere other than the connected peer was written on a connected channel.
 * Only this datagram fails; the channel stays open.
 */
public final class AddressMismatchException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception with the standard reason, "destination differs from the connected peer".
     *
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public AddressMismatchException(SocketAddress destination, int errno) {
        super("destination differs from the connected peer", destination, errno);
    }

    /**
     * Makes the exception with a reason of the caller's.
     *
     * @param reason what went wrong, in words
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    public AddressMismatchException(String reason, SocketAddress destination, int errno) {
        super(reason, destination, errno);
    }
}
