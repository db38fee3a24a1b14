package dev.salvo;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * One datagram could not be sent; the channel stays open and the datagrams around it are
 * unaffected. Subclasses say why.
 */
public abstract class DatagramWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient SocketAddress destination;
    /** The errno the kernel reported, or 0 when Salvo refused the datagram itself. */
    private final int errno;

    /**
     * Makes the exception; the message is the reason, then the destination and the errno's name
     * when known, e.g. {@code "datagram too large (to /127.0.0.1:9): EMSGSIZE (90)"}.
     *
     * @param reason what went wrong, in words
     * @param destination where the datagram was going, or {@code null} when not known
     * @param errno the errno the kernel reported, or 0 when Salvo refused the datagram itself
     */
    protected DatagramWriteException(String reason, SocketAddress destination, int errno) {
        super(message(reason, destination, errno));
        this.destination = destination;
        this.errno = errno;
    }

    private static String message(String reason, SocketAddress destination, int errno) {
        StringBuilder sb = new StringBuilder(reason);
        if (destination != null) {
            sb.append(" (to ").append(destination).append(')');
        }
        if (errno != 0) {
            sb.append(": ").append(ErrnoNames.of(errno)).append(" (").append(errno).append(')');
        }
        return sb.toString();
    }

    /**
     * Returns where the datagram was going. The address is not serialized: a deserialized
     * exception returns {@code null}.
     *
     * @return the datagram's destination, or {@code null} when it had none (connected mode)
     */
    public SocketAddress destination() {
        return destination;
    }

    /**
     * Returns the kernel's error number for this datagram.
     *
     * @return the errno the kernel reported, or 0 when Salvo refused the datagram before the system call
     */
    public int errno() {
        return errno;
    }
}
