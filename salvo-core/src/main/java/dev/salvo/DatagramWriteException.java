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
    private final int errno;

    /**
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

    /** @return the datagram's destination, or {@code null} when it had none (connected mode) */
    public SocketAddress destination() {
        return destination;
    }

    /** @return the errno the kernel reported, or 0 when Salvo refused the datagram before the system call */
    public int errno() {
        return errno;
    }
}
