package dev.salvo;

import java.net.SocketAddress;

/**
 * The kernel would not send this datagram because a local policy forbids it ({@code EPERM}): a
 * firewall rule (netfilter {@code reject} or {@code drop} in the output path) or a security module.
 * Only this datagram fails; the channel stays open and datagrams to other destinations go on.
 */
public final class DatagramNotPermittedException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception for one refused datagram.
     *
     * @param destination where the datagram was going, or {@code null}
     * @param errno the errno the kernel reported ({@code EPERM})
     */
    public DatagramNotPermittedException(SocketAddress destination, int errno) {
        super("sending not permitted (firewall or security policy)", destination, errno);
    }
}
