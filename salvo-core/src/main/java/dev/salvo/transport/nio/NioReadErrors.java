package dev.salvo.transport.nio;

import dev.salvo.read.ReadError;
import dev.salvo.read.ReadFailure;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * The java.nio transport's read-error policy, by exception type (the message text is the
 * platform's and is not relied on):
 * <ul>
 *   <li>{@link PortUnreachableException}: {@link ReadFailure#REFUSED} ({@code ECONNREFUSED}), an
 *       ICMP port unreachable on a connected channel;</li>
 *   <li>{@link NoRouteToHostException}: {@link ReadFailure#TRANSIENT} ({@code EHOSTUNREACH});</li>
 *   <li>any other {@link SocketException}: {@link ReadFailure#TRANSIENT} ({@code EIO}). java.nio
 *       raises these for errors the socket reports once (ICMP net unreachable, path MTU, buffer
 *       shortage), after which it still works, as the Linux transport treats the same errnos;</li>
 *   <li>{@link ClosedChannelException} (including asynchronous close) and every other
 *       {@link IOException}: {@link ReadFailure#FATAL} ({@code EBADF}, {@code EIO}), since nothing
 *       says the channel can still read.</li>
 * </ul>
 * The errno numbers are Linux's, the closest names for the exception.
 */
final class NioReadErrors {
    /** The name the channel has always reported read failures under, on both transports. */
    private static final String OPERATION = "recvmmsg";

    private NioReadErrors() {
    }

    /**
     * @param e what {@code DatagramChannel.receive} threw
     * @return the classified error
     */
    static ReadError of(IOException e) {
        return switch (e) {
            case PortUnreachableException p -> new ReadError(ReadFailure.REFUSED, OPERATION, NioErrors.ECONNREFUSED);
            case NoRouteToHostException n -> new ReadError(ReadFailure.TRANSIENT, OPERATION, NioErrors.EHOSTUNREACH);
            case SocketException s -> new ReadError(ReadFailure.TRANSIENT, OPERATION, NioErrors.EIO);
            case ClosedChannelException c -> new ReadError(ReadFailure.FATAL, OPERATION, NioErrors.EBADF);
            default -> new ReadError(ReadFailure.FATAL, OPERATION, NioErrors.EIO);
        };
    }
}
