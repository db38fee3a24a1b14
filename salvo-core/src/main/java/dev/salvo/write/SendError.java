package dev.salvo.write;

/**
 * Why a writer call sent nothing (more), as the transport classified it at the socket edge. The
 * engine decides from this kind alone what happens next; the errno that came with it is only data
 * for the exception it builds.
 */
public enum SendError {
    /** The socket is full ({@code EAGAIN}): keep everything and wait until it is writable. */
    WOULD_BLOCK,
    /** A signal interrupted the call ({@code EINTR}): nothing was sent, call again. */
    INTERRUPTED,
    /** The datagram is larger than the socket or path allows ({@code EMSGSIZE}). */
    TOO_LARGE,
    /** No route to the destination host or network ({@code EHOSTUNREACH}, {@code ENETUNREACH}). */
    UNREACHABLE,
    /**
     * A route or firewall forbids this destination ({@code EACCES}, e.g. broadcast without
     * {@code SO_BROADCAST}; {@code EPERM}, a netfilter rule in the output path).
     */
    PROHIBITED,
    /** The peer answered with ICMP port unreachable ({@code ECONNREFUSED}). */
    REFUSED,
    /** The kernel refused the datagram's segmentation offload (too many segments, a segment over the MTU). */
    OFFLOAD_REFUSED,
    /** Anything else: the socket cannot be trusted any more. */
    FATAL
}
