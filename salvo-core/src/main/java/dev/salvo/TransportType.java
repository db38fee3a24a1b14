package dev.salvo;

/**
 * Which transport an {@link EventLoopGroup} uses. The system property {@code salvo.transport}
 * ({@code auto}, {@code epoll} or {@code nio}) overrides {@link #AUTO}.
 */
public enum TransportType {
    /** Linux epoll over FFM when available, else java.nio. */
    AUTO,
    /** Linux epoll over FFM: batched {@code sendmmsg}/{@code recvmmsg}, offloads, ECN, packet info. */
    EPOLL,
    /** Portable java.nio: one datagram per system call, no offloads or metadata. */
    NIO
}
