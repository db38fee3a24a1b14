package dev.salvo;

/**
 * The loop conformance suite (timers, read pause) on the Linux io_uring transport, with epoll's
 * exact-drops-while-paused check: a paused socket's buffer ring fills, then the kernel's buffer.
 */
class IoUringLoopConformanceTest extends EpollLoopConformanceTest {
    @Override
    TransportType transport() {
        return TransportType.IO_URING;
    }
}
