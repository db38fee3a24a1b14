package dev.salvo.transport.nio;

import dev.salvo.write.SendError;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * How the java.nio transport classifies a failed send, so that the write engine treats a datagram
 * as the Linux transport would.
 *
 * <p><b>Types first.</b> {@link PortUnreachableException} is a refused port,
 * {@link NoRouteToHostException} an unreachable host, and {@link ClosedChannelException} (also
 * an asynchronous close) is fatal. The JDK has no other types: every other kernel error arrives as
 * a plain {@link SocketException} (unconnected {@code send}) or {@link IOException} (connected
 * {@code write}) whose only trace of the errno is {@code strerror}'s text. For those alone the
 * text is looked up in one small table ({@link #TEXTS}); it never overrides a type. Without it a
 * refused MTU or a prohibited route would close the channel on this transport and not on Linux.
 *
 * <p><b>When the text is unknown</b> (another errno, or a localised message): a plain
 * {@link SocketException} fails that datagram alone as {@link SendError#UNREACHABLE} with errno
 * 0, because the socket itself still works and closing a working channel over one datagram is
 * the greater harm; any other {@link IOException} is fatal.
 *
 * <p>The errno numbers are Linux's (the exceptions' {@code errno()} speaks Linux numbering on
 * every transport); this transport keeps its own few so that it does not depend on the Linux one.
 */
final class NioErrors {
    static final int EPERM = 1;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int ENETUNREACH = 101;
    static final int ENOBUFS = 105;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;

    /** One {@code strerror} text (glibc, C locale), the errno it stands for, and how a send treats it. */
    private record Text(String text, int errno, SendError kind) {
    }

    private static final Text[] TEXTS = {
        new Text("message too long", EMSGSIZE, SendError.TOO_LARGE),
        new Text("network is unreachable", ENETUNREACH, SendError.UNREACHABLE),
        new Text("no route to host", EHOSTUNREACH, SendError.UNREACHABLE),
        new Text("connection refused", ECONNREFUSED, SendError.REFUSED),
        new Text("permission denied", EACCES, SendError.PROHIBITED),
        new Text("operation not permitted", EPERM, SendError.PROHIBITED),
        new Text("no buffer space", ENOBUFS, SendError.FATAL),
        new Text("invalid argument", EINVAL, SendError.FATAL),
    };

    private NioErrors() {
    }

    /** @return how the write engine must treat a failed send */
    static SendError sendError(IOException e) {
        switch (e) {
            case ClosedChannelException c -> {
                return SendError.FATAL;
            }
            case PortUnreachableException p -> {
                return SendError.REFUSED;
            }
            case NoRouteToHostException n -> {
                return SendError.UNREACHABLE;
            }
            default -> {
                Text t = textOf(e);
                if (t != null) {
                    return t.kind();
                }
                return e instanceof SocketException ? SendError.UNREACHABLE : SendError.FATAL;
            }
        }
    }

    /** @return the errno a failed send stands for, kept for the exception; 0 when unknown */
    static int sendErrno(IOException e) {
        return switch (e) {
            case ClosedChannelException c -> EBADF;
            case PortUnreachableException p -> ECONNREFUSED;
            case NoRouteToHostException n -> EHOSTUNREACH;
            default -> {
                Text t = textOf(e);
                yield t != null ? t.errno() : e instanceof SocketException ? 0 : EIO;
            }
        };
    }

    /** @return the table entry whose text the message holds, or {@code null} */
    private static Text textOf(IOException e) {
        String m = e.getMessage();
        if (m == null) {
            return null;
        }
        m = m.toLowerCase(Locale.ROOT);
        for (Text t : TEXTS) {
            if (m.contains(t.text())) {
                return t;
            }
        }
        return null;
    }
}
