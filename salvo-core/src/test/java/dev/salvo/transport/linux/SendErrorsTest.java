package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.salvo.write.SendError;
import org.junit.jupiter.api.Test;

/** The one errno classifier of the send path. */
class SendErrorsTest {
    @Test
    void eachSendErrnoHasItsKindAndEverythingElseIsFatal() {
        assertEquals(SendError.WOULD_BLOCK, SendErrors.classify(Errno.EAGAIN, false));
        assertEquals(SendError.INTERRUPTED, SendErrors.classify(Errno.EINTR, false));
        assertEquals(SendError.TOO_LARGE, SendErrors.classify(Errno.EMSGSIZE, false));
        assertEquals(SendError.UNREACHABLE, SendErrors.classify(Errno.EHOSTUNREACH, false));
        assertEquals(SendError.UNREACHABLE, SendErrors.classify(Errno.ENETUNREACH, false));
        assertEquals(SendError.PROHIBITED, SendErrors.classify(Errno.EACCES, false));
        assertEquals(SendError.PROHIBITED, SendErrors.classify(Errno.EPERM, false)); // a firewall refused one datagram
        assertEquals(SendError.REFUSED, SendErrors.classify(Errno.ECONNREFUSED, false));
        for (int fatal : new int[] {Errno.EBADF, Errno.ENOTSOCK, Errno.ENOBUFS, Errno.EIO, Errno.EINVAL}) {
            assertEquals(SendError.FATAL, SendErrors.classify(fatal, false), Errno.name(fatal));
        }
    }

    @Test
    void einvalIsARefusedOffloadOnlyForADatagramThatAskedForSegmentation() {
        assertEquals(SendError.OFFLOAD_REFUSED, SendErrors.classify(Errno.EINVAL, true));
        assertEquals(SendError.FATAL, SendErrors.classify(Errno.EINVAL, false));
        assertEquals(SendError.TOO_LARGE, SendErrors.classify(Errno.EMSGSIZE, true));
    }
}
