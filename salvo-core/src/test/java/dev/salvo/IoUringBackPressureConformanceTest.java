package dev.salvo;

/** The back-pressure suite on the Linux io_uring transport: raw options reach the kernel as on epoll. */
class IoUringBackPressureConformanceTest extends EpollBackPressureConformanceTest {
    @Override
    TransportType transport() {
        return TransportType.IO_URING;
    }
}
