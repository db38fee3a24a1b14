package dev.salvo.transport.nio;

import dev.salvo.transport.linux.Errno;
import dev.salvo.write.SendError;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * java.nio reports kernel errors as exceptions without errno; this classifies them by type (never
 * by message text, which is localised and changes between JDKs).
 *
 * <p>Sends: {@link PortUnreachableException} is a refused port ({@link SendError#REFUSED}),
 * {@link NoRouteToHostException} an unreachable host, {@link ClosedChannelException} and any
 * other non-socket {@link IOException} are fatal. A plain {@link SocketException} is what the JDK
 * throws for every other errno ({@code ENETUNREACH}, {@code EACCES}, {@code EPERM} from a
 * firewall, {@code EMSGSIZE}, {@code ENOBUFS}, ...), which cannot be told apart without parsing
 * its text. Those are failures of one destination or one datagram, and the socket still works,
 * so such a datagram fails alone as {@link SendError#UNREACHABLE} (a
 * {@code HostUnreachableException}): a less precise type is a smaller harm than closing a working
 * channel over one datagram.
 *
 * <p>The errno numbers below exist only so that exceptions name the same errno as before on
 * Linux; nothing decides on them.
 */
final class NioErrors {
    private NioErrors() {
    }

    private static final int EIO = 5;
    private static final int EBADF = 9;
    private static final int ECONNREFUSED = 111;
    private static final int EHOSTUNREACH = 113;

    /** @return how the write engine must treat a failed send */
    static SendError sendError(IOException e) {
        return switch (e) {
            case PortUnreachableException p -> SendError.REFUSED;
            case NoRouteToHostException n -> SendError.UNREACHABLE;
            case SocketException s -> SendError.UNREACHABLE;
            default -> SendError.FATAL;
        };
    }

    /** @return the errno a failed send stands for, for messages only (0 when it has no single one) */
    static int sendErrno(IOException e) {
        return switch (e) {
            case PortUnreachableException p -> ECONNREFUSED;
            case NoRouteToHostException n -> EHOSTUNREACH;
            case ClosedChannelException c -> EBADF;
            case SocketException s -> 0;
            default -> EIO;
        };
    }

    /**
     * The read side's mapping (receive errors as {@code -errno} for {@code SocketOps.read}), left
     * as it was: it still reads the JDK's message text, because a receive error the channel could
     * survive (ENOBUFS, ENETUNREACH) would otherwise close it. The send side does not use it.
     */
    static int errnoOf(IOException e) {
        if (e instanceof PortUnreachableException) {
            return ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return EHOSTUNREACH;
        }
        if (e instanceof ClosedChannelException) {
            return EBADF;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("message too long")) {
            return Errno.EMSGSIZE;
        }
        if (m.contains("network is unreachable")) {
            return Errno.ENETUNREACH;
        }
        if (m.contains("no route to host")) {
            return EHOSTUNREACH;
        }
        if (m.contains("connection refused")) {
            return ECONNREFUSED;
        }
        if (m.contains("no buffer space")) {
            return Errno.ENOBUFS;
        }
        if (m.contains("permission denied")) {
            return Errno.EACCES;
        }
        if (m.contains("invalid argument")) {
            return Errno.EINVAL;
        }
        return EIO;
    }
}
