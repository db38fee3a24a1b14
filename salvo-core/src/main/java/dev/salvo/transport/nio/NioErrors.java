package dev.salvo.transport.nio;

import dev.salvo.transport.linux.Errno;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * java.nio reports kernel errors as exceptions without errno; this maps them back to errno so
 * that the write engine treats both transports alike.
 */
final class NioErrors {
    private NioErrors() {
    }

    static int errnoOf(IOException e) {
        if (e instanceof PortUnreachableException) {
            return Errno.ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof ClosedChannelException) {
            return Errno.EBADF;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("message too long")) {
            return Errno.EMSGSIZE;
        }
        if (m.contains("network is unreachable")) {
            return Errno.ENETUNREACH;
        }
        if (m.contains("no route to host")) {
            return Errno.EHOSTUNREACH;
        }
        if (m.contains("connection refused")) {
            return Errno.ECONNREFUSED;
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
        return Errno.EIO;
    }
}
