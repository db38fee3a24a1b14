package dev.salvo;

/** The loop conformance suite on the Linux epoll transport. */
class EpollLoopConformanceTest extends LoopConformanceSuite {
    @Override
    TransportType transport() {
        return TransportType.EPOLL;
    }
}
