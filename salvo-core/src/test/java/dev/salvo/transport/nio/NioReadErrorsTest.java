package dev.salvo.transport.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.salvo.read.ReadError;
import dev.salvo.read.ReadFailure;
import dev.salvo.transport.linux.Errno;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class NioReadErrorsTest {

    @Test
    void exceptionTypesMapToReadFailuresWhateverTheirMessage() {
        assertEquals(new ReadError(ReadFailure.REFUSED, "recvmmsg", Errno.ECONNREFUSED),
                NioReadErrors.of(new PortUnreachableException("no buffer space")));
        assertEquals(new ReadError(ReadFailure.TRANSIENT, "recvmmsg", Errno.EHOSTUNREACH),
                NioReadErrors.of(new NoRouteToHostException()));
        assertEquals(ReadFailure.TRANSIENT, NioReadErrors.of(new SocketException("Network is unreachable")).kind());
        assertEquals(new ReadError(ReadFailure.FATAL, "recvmmsg", Errno.EBADF),
                NioReadErrors.of(new ClosedChannelException()));
        assertEquals(ReadFailure.FATAL, NioReadErrors.of(new AsynchronousCloseException()).kind());
        assertEquals(new ReadError(ReadFailure.FATAL, "recvmmsg", Errno.EIO),
                NioReadErrors.of(new IOException("connection refused")));
    }
}
