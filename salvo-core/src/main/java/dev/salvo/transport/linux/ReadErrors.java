package dev.salvo.transport.linux;

import dev.salvo.read.ReadError;
import dev.salvo.read.ReadFailure;

/**
 * The Linux transport's read-error policy: the one function that turns a receive errno (or a
 * pending {@code SO_ERROR}) into the {@link ReadFailure} the channel acts on.
 *
 * <p>{@code ECONNREFUSED} is an ICMP port unreachable reported to a connected socket; memory and
 * buffer shortages, unreachable routes and path-MTU reports ({@code EMSGSIZE}) pass as well, so
 * the socket stays usable. Anything else means the socket itself is broken.
 */
final class ReadErrors {
    private ReadErrors() {
    }

    /**
     * @param errno a positive errno from a receive or {@code SO_ERROR}
     * @return what kind of failure it is, or {@code null} for would-block and an interrupted call,
     *     which are not failures
     */
    static ReadFailure classify(int errno) {
        return switch (errno) {
            case Errno.EAGAIN, Errno.EINTR -> null;
            case Errno.ECONNREFUSED -> ReadFailure.REFUSED;
            case Errno.ENOMEM, Errno.ENOBUFS, Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EMSGSIZE ->
                    ReadFailure.TRANSIENT;
            default -> ReadFailure.FATAL;
        };
    }

    /**
     * @param operation the failing call, for the message
     * @param errno a positive errno
     * @return the classified error, or {@code null} when {@link #classify} says it is none
     */
    static ReadError of(String operation, int errno) {
        ReadFailure kind = classify(errno);
        return kind == null ? null : new ReadError(kind, operation, errno);
    }
}
