package dev.salvo.transport.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.salvo.transport.linux.Errno;
import dev.salvo.write.SendError;
import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/** java.nio's send exceptions, classified as the Linux transport classifies the errnos behind them. */
class NioErrorsTest {
    @Test
    void typesDecideWhereTheJdkHasThem() {
        assertEquals(SendError.REFUSED, NioErrors.sendError(new PortUnreachableException("no route to host")));
        assertEquals(SendError.UNREACHABLE, NioErrors.sendError(new NoRouteToHostException("message too long")));
        assertEquals(SendError.FATAL, NioErrors.sendError(new ClosedChannelException()));
        assertEquals(SendError.FATAL, NioErrors.sendError(new AsynchronousCloseException()));
        assertEquals(Errno.EBADF, NioErrors.sendErrno(new ClosedChannelException()));
        assertEquals(Errno.ECONNREFUSED, NioErrors.sendErrno(new PortUnreachableException()));
    }

    @Test
    void untypedExceptionsAreClassifiedByTheErrnoTheirTextNames() {
        assertEquals(SendError.UNREACHABLE, NioErrors.sendError(new SocketException("Network is unreachable")));
        assertEquals(Errno.ENETUNREACH, NioErrors.sendErrno(new SocketException("Network is unreachable")));
        assertEquals(SendError.PROHIBITED, NioErrors.sendError(new SocketException("Permission denied")));
        assertEquals(SendError.PROHIBITED, NioErrors.sendError(new BindException("Permission denied")));
        assertEquals(SendError.TOO_LARGE, NioErrors.sendError(new SocketException("Message too long")));
        assertEquals(SendError.UNREACHABLE, NioErrors.sendError(new IOException("No route to host")),
                "a connected write reports a plain IOException");
        assertEquals(SendError.FATAL, NioErrors.sendError(new SocketException("No buffer space available")),
                "as on Linux");
    }

    @Test
    void anUnknownSocketExceptionFailsOneDatagramButAnUnknownIoExceptionIsFatal() {
        assertEquals(SendError.UNREACHABLE, NioErrors.sendError(new SocketException("Zugriff verweigert")));
        assertEquals(0, NioErrors.sendErrno(new SocketException("Zugriff verweigert")));
        assertEquals(SendError.FATAL, NioErrors.sendError(new IOException("something else")));
        assertEquals(Errno.EIO, NioErrors.sendErrno(new IOException("something else")));
    }

    @Test
    void theFallbacksOwnErrnoNumbersAreLinuxs() {
        assertEquals(Errno.EIO, NioErrors.EIO);
        assertEquals(Errno.EAGAIN, NioErrors.EAGAIN);
        assertEquals(Errno.EBADF, NioErrors.EBADF);
        assertEquals(Errno.EACCES, NioErrors.EACCES);
        assertEquals(Errno.EINVAL, NioErrors.EINVAL);
        assertEquals(Errno.EMSGSIZE, NioErrors.EMSGSIZE);
        assertEquals(Errno.ENETUNREACH, NioErrors.ENETUNREACH);
        assertEquals(Errno.ENOBUFS, NioErrors.ENOBUFS);
        assertEquals(Errno.ECONNREFUSED, NioErrors.ECONNREFUSED);
        assertEquals(Errno.EHOSTUNREACH, NioErrors.EHOSTUNREACH);
    }
}
