package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.salvo.read.ReadError;
import dev.salvo.read.ReadFailure;
import org.junit.jupiter.api.Test;

class ReadErrorsTest {

    @Test
    void wouldBlockAndAnInterruptedCallAreNotFailures() {
        assertNull(ReadErrors.classify(Errno.EAGAIN));
        assertNull(ReadErrors.classify(Errno.EINTR));
        assertNull(ReadErrors.of("recvmmsg", Errno.EAGAIN));
        assertNull(ReadErrors.of("SO_ERROR", Errno.EINTR));
    }

    @Test
    void aRefusedConnectionIsItsOwnKind() {
        assertEquals(ReadFailure.REFUSED, ReadErrors.classify(Errno.ECONNREFUSED));
    }

    @Test
    void shortagesUnreachableRoutesAndPathMtuReportsPass() {
        for (int errno : new int[] {Errno.ENOMEM, Errno.ENOBUFS, Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EMSGSIZE}) {
            assertEquals(ReadFailure.TRANSIENT, ReadErrors.classify(errno), Errno.name(errno));
        }
    }

    @Test
    void everythingElseBreaksTheSocket() {
        for (int errno : new int[] {Errno.EBADF, Errno.ENOTSOCK, Errno.EINVAL, Errno.EIO, Errno.EPERM, Errno.EACCES,
                Errno.ENOTCONN, 9999}) {
            assertEquals(ReadFailure.FATAL, ReadErrors.classify(errno), Errno.name(errno));
        }
    }

    @Test
    void theErrorNamesTheCallAndKeepsTheErrno() {
        assertEquals(new ReadError(ReadFailure.TRANSIENT, "recvmmsg", Errno.ENOBUFS), ReadErrors.of("recvmmsg", Errno.ENOBUFS));
        assertEquals(new ReadError(ReadFailure.REFUSED, "SO_ERROR", Errno.ECONNREFUSED),
                ReadErrors.of("SO_ERROR", Errno.ECONNREFUSED));
    }
}
