package dev.salvo;

import java.net.SocketAddress;

/**
 * A datagram's destination cannot be used on this channel: it is unresolved, of a type Salvo does
 * not know, or of another family than the socket (an IPv6 destination on an IPv4 socket, an IPv4
 * destination on an IPv6-only socket, an IP destination on a unix-domain socket...). Only this
 * datagram fails; the channel stays open.
 */
public final class UnsupportedAddressException extends DatagramWriteException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the exception for a destination refused before any system call (so the errno is 0).
     *
     * @param reason what does not fit, in words
     * @param destination the refused destination
     */
    public UnsupportedAddressException(String reason, SocketAddress destination) {
        super(reason, destination, 0);
    }
}
