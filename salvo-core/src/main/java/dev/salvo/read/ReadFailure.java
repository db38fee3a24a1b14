package dev.salvo.read;

/**
 * Why a read failed, the closed set a channel acts on. Transports classify their errors into it
 * once, at the socket edge; "no datagram waiting" and an interrupted call are not failures and
 * never reach this far.
 */
public enum ReadFailure {
    /** The connected peer's port is closed (an ICMP port unreachable): report it, keep the channel open. */
    REFUSED,
    /** A passing condition (memory, route, size): report it, keep the channel open. */
    TRANSIENT,
    /** The socket is unusable: close the channel with the error. */
    FATAL
}
