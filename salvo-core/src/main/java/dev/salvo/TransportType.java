package dev.salvo;

/**
 * Which transport an {@link EventLoopGroup} uses. The system property {@code salvo.transport}
 * ({@code auto}, {@code epoll}, {@code io_uring} or {@code nio}) overrides {@link #AUTO}.
 */
public enum TransportType {
    /** Linux epoll over FFM when available, else java.nio. */
    AUTO,
    /** Linux epoll over FFM: batched {@code sendmmsg}/{@code recvmmsg}, offloads, ECN, packet info. */
    EPOLL,
    /**
     * Linux io_uring over FFM (Linux 6.0 or later): one ring per event loop, multishot receives
     * into provided-buffer rings; sending, offloads and metadata as {@link #EPOLL}. Never chosen
     * by {@link #AUTO}; where io_uring is unavailable (disabled by {@code kernel.io_uring_disabled}
     * or a seccomp profile, or an old kernel), asking for it fails with the reason.
     */
    IO_URING,
    /** Portable java.nio: one datagram per system call, no offloads or metadata. */
    NIO
}
