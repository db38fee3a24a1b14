package dev.salvo.transport.nio;

import dev.salvo.transport.linux.Errno;
import dev.salvo.transport.linux.SendErrors;
import dev.salvo.write.SendError;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * java.nio reports kernel errors as exceptions without errno; this recovers the errno and
 * classifies sends exactly as the Linux transport does ({@link SendErrors}), so that both
 * transports treat a datagram alike.
 *
 * <p><b>Types first.</b> {@link PortUnreachableException} is {@code ECONNREFUSED},
 * {@link NoRouteToHostException} {@code EHOSTUNREACH}, and {@link ClosedChannelException} (also
 * an asynchronous close) is fatal. The JDK has no other types: every other errno arrives as a
 * plain {@link SocketException} (unconnected {@code send}) or {@link IOException} (connected
 * {@code write}) whose only trace of the errno is {@code strerror}'s text. For those alone the
 * text is looked up in one table ({@link #errnoInText}); it never overrides a type.
 *
 * <p><b>When the text is unknown</b> (another errno, or a localised message): a plain
 * {@link SocketException} fails that datagram alone as {@link SendError#UNREACHABLE} with errno
 * 0, because the socket itself still works and closing a working channel over one datagram is
 * the greater harm; any other {@link IOException} is fatal, as before.
 */
final class NioErrors {
    private NioErrors() {
    }

    /** {@code strerror} texts (glibc, C locale) of the errnos the channel treats specially. */
    private static final String[] TEXTS = {
        "message too long", "network is unreachable", "no route to host", "connection refused",
        "no buffer space", "permission denied", "invalid argument",
    };
    private static final int[] ERRNOS = {
        Errno.EMSGSIZE, Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ECONNREFUSED,
        Errno.ENOBUFS, Errno.EACCES, Errno.EINVAL,
    };

    /** @return how the write engine must treat a failed send */
    static SendError sendError(IOException e) {
        if (e instanceof ClosedChannelException) {
            return SendError.FATAL;
        }
        int errno = typedErrno(e);
        if (errno == 0) {
            errno = errnoInText(e);
        }
        if (errno != 0) {
            return SendErrors.classify(errno, false); // java.nio sends carry no UDP_SEGMENT
        }
        return e instanceof SocketException ? SendError.UNREACHABLE : SendError.FATAL;
    }

    /** @return the errno a failed send stands for, kept for the exception; 0 when unknown */
    static int sendErrno(IOException e) {
        int errno = errnoOf(e);
        return errno == Errno.EIO && e instanceof SocketException ? 0 : errno;
    }

    /** @return the errno an exception stands for ({@code EIO} when none is known), as reads report it */
    static int errnoOf(IOException e) {
        int errno = typedErrno(e);
        if (errno == 0) {
            errno = errnoInText(e);
        }
        return errno != 0 ? errno : Errno.EIO;
    }

    private static int typedErrno(IOException e) {
        return switch (e) {
            case PortUnreachableException p -> Errno.ECONNREFUSED;
            case NoRouteToHostException n -> Errno.EHOSTUNREACH;
            case ClosedChannelException c -> Errno.EBADF;
            default -> 0;
        };
    }

    /** @return the errno whose {@code strerror} text the message holds, or 0 */
    private static int errnoInText(IOException e) {
        String m = e.getMessage();
        if (m == null) {
            return 0;
        }
        m = m.toLowerCase(Locale.ROOT);
        for (int i = 0; i < TEXTS.length; i++) {
            if (m.contains(TEXTS[i])) {
                return ERRNOS[i];
            }
        }
        return 0;
    }
}
