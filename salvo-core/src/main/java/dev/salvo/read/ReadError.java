package dev.salvo.read;

import dev.salvo.ConnectionRefusedException;
import dev.salvo.NativeIOException;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A classified read failure: what kind it is, the call that failed and the errno it failed with
 * (the transport's best equivalent when it has no errno). Only failures create these, so reading
 * without errors allocates none.
 *
 * @param kind what the channel should do about it
 * @param operation the failing call, for the message ({@code "recvmmsg"}, {@code "SO_ERROR"})
 * @param errno the positive errno
 */
public record ReadError(ReadFailure kind, String operation, int errno) {
    /** Checks the components. */
    public ReadError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
    }

    /**
     * The one place a read error becomes the public exception.
     *
     * @param connectedPeer the channel's connected peer (named by a refusal), or {@code null}
     * @return a {@link ConnectionRefusedException} for {@link ReadFailure#REFUSED}, else a
     *     {@link NativeIOException} naming the operation and errno
     */
    public IOException toException(SocketAddress connectedPeer) {
        return kind == ReadFailure.REFUSED
                ? new ConnectionRefusedException(connectedPeer, errno)
                : new NativeIOException(operation, errno);
    }
}
