package dev.salvo.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.salvo.ConnectionRefusedException;
import dev.salvo.NativeIOException;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ReadErrorTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void aRefusalBecomesConnectionRefusedNamingTheConnectedPeer() {
        IOException e = new ReadError(ReadFailure.REFUSED, "recvmmsg", 111).toException(PEER);
        ConnectionRefusedException refused = assertInstanceOf(ConnectionRefusedException.class, e);
        assertSame(PEER, refused.destination());
        assertEquals(111, refused.errno());
    }

    @Test
    void transientAndFatalErrorsBecomeNativeIoExceptionsNamingTheCall() {
        for (ReadFailure kind : new ReadFailure[] {ReadFailure.TRANSIENT, ReadFailure.FATAL}) {
            IOException e = new ReadError(kind, "SO_ERROR", 105).toException(PEER);
            NativeIOException n = assertInstanceOf(NativeIOException.class, e);
            assertEquals("SO_ERROR", n.operation());
            assertEquals(105, n.errno());
        }
    }

    @Test
    void aKindAndAnOperationAreRequired() {
        assertThrows(NullPointerException.class, () -> new ReadError(null, "recvmmsg", 5));
        assertThrows(NullPointerException.class, () -> new ReadError(ReadFailure.FATAL, null, 5));
    }
}
